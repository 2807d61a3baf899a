// Fuel instrumentation: rewrites one core module so that it counts the operators it executes
// with wasmtime's default cost model and traps when the call's budget is used up.
//
// API
//   instrumentFuel(bytes: Uint8Array): Uint8Array     throws FuelError (message starts `fuel: `)
//   FUEL_IMPORT_MODULE / FUEL_IMPORT_NAME             'playground:fuel' / 'remaining'
//   FUEL_INSTRUMENTER_VERSION, FUEL_COST_MODEL, FUEL_CACHE_KEY   for the transpile cache key
//   FuelMeter, FUEL_EXHAUSTED, outOfFuelMessage       the host's end (src/shared/fuel.ts)
// Instrument every core module of a plugin (a jco component has several) and instantiate them all
// with the same FuelMeter's `imports`: the count is shared, so a call is charged for all its code.
//
// What the output looks like
//   One import is appended after the module's own: (import "playground:fuel" "remaining"
//   (global (mut i64))). Its index is the number of imported globals, so every defined global
//   moves up by one (all its uses are renumbered, global names in the name section too; its
//   label names are dropped, as the inserted checks add blocks). Nothing else changes except
//   inserted code and one i64 local appended to a function's own: imports, exports, types,
//   functions and other custom sections keep their order and bytes. Imported functions are not counted (host code is the watchdog's business).
//
// Cost model (wasmtime crates/cranelift/src/func_environ.rs, `fuel_before_op`, with the default
// `OperatorCost`): every operator costs 1 except nop, drop, block, loop, unreachable, return,
// else and end, which cost 0. Costs of straight-line code are added up and charged in one
// `remaining -= n` placed just before the operator that ends the stretch, counting that operator
// too; the operators that end one are wasmtime's: call, call_indirect, return_call(_indirect,
// _ref), throw, throw_ref, unreachable, return, loop, if, else, end, br, br_if, br_table and the
// br_on_* family. So a callee's entry check sees everything its caller did before the call.
//
// Checks: at every function entry and at every loop header (each iteration), like wasmtime:
//   if (remaining <= 0) { remaining = FUEL_EXHAUSTED; unreachable }
// wasmtime keeps `consumed - budget` and calls its out-of-gas hook when it is >= 0: the same test.
// So a call given budget B traps iff some check finds it has used B or more; between checks (the
// straight-line tail of a function) it may overshoot, and then returns normally, in both. The
// host recognises exhaustion by `remaining <= FUEL_EXHAUSTED` after the call threw: a guest's
// own `unreachable` leaves `remaining` far above it (see src/shared/fuel.ts).
//
// Where the count lives (counter.ts): like wasmtime, which keeps it in a register, each function
// keeps it in an i64 local of its own, read from the global at entry, written back before every
// call (and read again after it) and every way out. So after a trap such as an out-of-bounds
// load the global holds the count as of the trapping function's last call, in both; the stretch
// in progress is not counted, and a guest's `unreachable` is exact. A function with a legacy
// `try` or a `try_table` updates the global in place instead (a handler is entered from a
// callee's throw with the local behind), and counts every stretch completed before a trap.
//
// Where this differs from wasmtime
// - Used fuel is reported exactly (budget − remaining, which can exceed the budget by the tail
//   after the last check); wasmtime's get_fuel() saturates at 0, so it reports the budget.
// - call_ref ends a stretch like call (wasmtime does not flush before call_ref).
// - Legacy exceptions, which wasmtime does not run: the try body is charged before `catch`,
//   the catch (1) is charged in the handler, delegate (1) is charged like end, rethrow like throw.
// - Unreachable code after br/return/throw... up to the end of its block is not charged: it never
//   runs. (wasmtime does not count it either.)
// With `exportCounter`, the counter is also exported as FUEL_COUNTER_EXPORT (for a runtime that
// links it from a module rather than passing it as an import; see src/shared/fuel.ts).
// Code offsets move, so DWARF, branch hints and source maps of the module no longer line up.
//
// Why not binaryen: its IR is not the module's operator stream (multi-value and block parameters
// come back as scratch locals and tuples), so counts would drift from wasmtime's; its C API has no
// accessors for try_table; it regroups imports by kind; and a round trip of the QuickJS engine
// alone takes seconds. Rewriting the binary in one pass keeps the counts wasmtime's, operator for
// operator, and everything else byte for byte (and needs no CompactImports masking).
import { FuelError, Reader, Writer } from './bytes.ts';
import { instrumentCode, type Counters } from './body.ts';
import { CachedCounter, definedFunctionParams, InPlaceCounter } from './counter.ts';
import { AFTER_EXPORTS, GlobalRenumber, SECTION, countImportedGlobals, readSections, rewriteImports, writeCounterExport, type Section } from './sections.ts';

export { FuelError } from './bytes.ts';
export {
  FUEL_CACHE_KEY,
  FUEL_COST_MODEL,
  FUEL_COUNTER_EXPORT,
  FUEL_EXHAUSTED,
  FUEL_IMPORT_MODULE,
  FUEL_IMPORT_NAME,
  FUEL_INSTRUMENTER_VERSION,
  FuelMeter,
  outOfFuelMessage,
  type FuelReading,
} from '../../shared/fuel.ts';

function isNameSection(bytes: Uint8Array, section: Section): boolean {
  return section.id === SECTION.custom && new Reader(bytes, section.start, section.end).name() === 'name';
}

const RENUMBERED: ReadonlySet<number> = new Set([SECTION.table, SECTION.global, SECTION.export, SECTION.elem, SECTION.data]);

export interface FuelOptions {
  /** Also export the counter, as FUEL_COUNTER_EXPORT. */
  exportCounter?: boolean;
  /** Update the global in place in every function (the form of instrumenter version 1), for comparisons. */
  inPlace?: boolean;
}

/** Returns a new module that counts fuel; see the header for what it does. */
export function instrumentFuel(input: Uint8Array, options: FuelOptions = {}): Uint8Array<ArrayBuffer> {
  // A plain view, so the hot loops see one array type (not Node's Buffer subclass as well).
  const bytes = new Uint8Array(input.buffer, input.byteOffset, input.byteLength);
  const sections = readSections(bytes);
  const imports = sections.find((section) => section.id === SECTION.import);
  const importedGlobals = countImportedGlobals(bytes, imports);
  const globals = new GlobalRenumber(importedGlobals);
  // Without defined globals no index moves, and those sections are copied untouched.
  const renumber = sections.some((section) => section.id === SECTION.global);
  const counters: Counters = { inPlace: new InPlaceCounter(importedGlobals), cached: options.inPlace ? undefined : new CachedCounter(importedGlobals) };
  const params = options.inPlace ? undefined : definedFunctionParams(bytes, sections);

  const out = new Writer(Math.ceil(bytes.length * 1.4) + 64);
  out.append(bytes.subarray(0, 8));
  const payload = new Writer();
  const emit = (id: number, write: (payload: Writer) => void) => {
    payload.reset();
    write(payload);
    out.byte(id);
    out.u32(payload.length);
    out.append(payload.view());
  };
  // A module without imports gets an import section where the spec's order puts it.
  let importsWritten = false;
  const addImports = () => emit(SECTION.import, (payload) => rewriteImports(bytes, imports, payload));
  let exportsWritten = !options.exportCounter;
  const addExports = (own?: Uint8Array) => emit(SECTION.export, (payload) => writeCounterExport(own, importedGlobals, payload));

  let sectionStart = 8;
  for (const section of sections) {
    const original = bytes.subarray(sectionStart, section.end);
    sectionStart = section.end;
    if (!importsWritten && (section.id === SECTION.import || (section.id !== SECTION.custom && section.id !== SECTION.type))) {
      addImports();
      importsWritten = true;
      if (section.id === SECTION.import) continue;
    }
    if (!exportsWritten && (section.id === SECTION.export || AFTER_EXPORTS.has(section.id))) {
      exportsWritten = true;
      if (section.id === SECTION.export) {
        const own = new Writer(section.end - section.start + 16);
        if (renumber) globals.section(bytes, section, own);
        else own.append(bytes.subarray(section.start, section.end));
        addExports(own.view());
        continue;
      }
      addExports();
    }
    if (section.id === SECTION.code) emit(section.id, (payload) => instrumentCode(bytes, section, counters, params, globals, payload));
    else if (renumber && RENUMBERED.has(section.id)) emit(section.id, (payload) => globals.section(bytes, section, payload));
    else if (isNameSection(bytes, section)) emit(section.id, (payload) => renumberNames(bytes, section, globals, payload));
    else out.append(original);
  }
  if (!importsWritten) addImports();
  if (!exportsWritten) addExports();
  return out.view().slice(); // a tight copy: a view of the larger buffer would be cached whole
}

function renumberNames(bytes: Uint8Array, section: Section, globals: GlobalRenumber, payload: Writer): void {
  try {
    globals.section(bytes, section, payload);
  } catch (error) {
    if (!(error instanceof FuelError)) throw error;
    // Names are for debuggers only, and engines ignore a malformed name section: keep it as it was.
    payload.reset();
    payload.append(bytes.subarray(section.start, section.end));
  }
}
