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
//   inserted code: imports, exports, types, functions and other custom sections keep their order
//   and bytes. Imported functions are not counted (host code is the watchdog's business).
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
// Where this differs from wasmtime
// - The count lives in the imported global and is updated in place. wasmtime caches it in a
//   register and writes it back only at calls, returns and traps it raises itself, so after a
//   trap such as an out-of-bounds load its store holds the count as of the trapping function's
//   last call. Here every stretch completed before the trap is counted; in both, the stretch in
//   progress (up to the trapping operator) is not. A guest's `unreachable` is exact in both.
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
import { FuelError, Patcher, Reader, Writer, sleb, uleb } from './bytes.ts';
import { BRANCH, CALL, CATCH, DELEGATE, ELSE, END, IF, LOOP, OPEN, PLAIN, TRANSFER, scan, valType } from './instructions.ts';
import { AFTER_EXPORTS, GlobalRenumber, SECTION, countImportedGlobals, readSections, rewriteImports, writeCounterExport, type Section } from './sections.ts';
import { FUEL_EXHAUSTED } from '../../shared/fuel.ts';

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

/** The inserted code, encoded once per module (it names the fuel global by index). */
class FuelCode {
  private readonly global: number[];
  private readonly charges: Uint8Array[] = [];
  readonly check: Uint8Array;

  constructor(globalIndex: number) {
    this.global = uleb(globalIndex);
    const g = this.global;
    // global.get; i64.const 0; i64.le_s; if; i64.const EXHAUSTED; global.set; unreachable; end
    this.check = Uint8Array.from([0x23, ...g, 0x42, 0x00, 0x57, 0x04, 0x40, 0x42, ...sleb(FUEL_EXHAUSTED), 0x24, ...g, 0x00, 0x0b]);
  }

  /** global.get; i64.const cost; i64.sub; global.set (stack-neutral, valid anywhere). */
  charge(cost: number): Uint8Array {
    let code = this.charges[cost];
    if (!code) {
      code = Uint8Array.from([0x23, ...this.global, 0x42, ...sleb(BigInt(cost)), 0x7d, 0x24, ...this.global]);
      if (cost < 4096) this.charges[cost] = code;
    }
    return code;
  }
}

/** One function body (locals, then code) with charges and checks inserted. */
function instrumentBody(bytes: Uint8Array, start: number, end: number, fuel: FuelCode, globals: GlobalRenumber, out: Writer): void {
  const r = new Reader(bytes, start, end);
  for (let groups = r.u32(); groups > 0; groups--) {
    r.u32();
    valType(r);
  }
  const p = new Patcher(bytes, out, start);
  p.to(r.pos);
  out.bytes(fuel.check); // function entry
  let pending = 0; // cost of the current stretch, not charged yet
  let depth = 0; // open blocks inside the function body
  let dead = false; // after an unconditional transfer, until the end of that block
  let deadDepth = 0;
  const charge = (at: number, cost: number) => {
    if (cost === 0) return;
    p.to(at);
    out.bytes(fuel.charge(cost));
  };
  for (;;) {
    const at = r.pos;
    const op = bytes[at];
    if (op === 0x23 || op === 0x24) {
      r.pos++; // global.get/set: renumbered even in dead code, which must still validate
      globals.index(r, p);
      if (!dead) pending++;
      continue;
    }
    const info = scan(r);
    const kind = info >> 1;
    const cost = info & 1;
    if (dead) {
      if (kind === OPEN || kind === LOOP || kind === IF) depth++;
      else if ((kind === ELSE || kind === CATCH) && depth === deadDepth) {
        dead = false; // the next arm or handler is reached from elsewhere
        pending = kind === CATCH ? cost : 0;
      } else if (kind === END || kind === DELEGATE) {
        if (depth === deadDepth) dead = false;
        if (depth === 0) break;
        depth--;
      }
      continue;
    }
    switch (kind) {
      case PLAIN:
        pending += cost;
        break;
      case OPEN:
        pending += cost; // entering a block is straight-line
        depth++;
        break;
      case LOOP:
        charge(at, pending); // what came before the loop is charged once, not per iteration
        pending = 0;
        p.to(r.pos);
        out.bytes(fuel.check); // loop header: runs on entry and on every branch back
        depth++;
        break;
      case IF:
      case BRANCH:
      case CALL:
        charge(at, pending + cost);
        pending = 0;
        if (kind === IF) depth++;
        break;
      case TRANSFER:
        charge(at, pending + cost);
        pending = 0;
        dead = true;
        deadDepth = depth;
        break;
      case ELSE:
      case END:
      case DELEGATE:
        charge(at, pending + cost);
        pending = 0;
        if (kind === ELSE) break;
        if (depth === 0) return finishBody(r, p, end);
        depth--;
        break;
      case CATCH:
        charge(at, pending); // the end of the try body
        pending = cost; // the catch itself is charged on the way into the handler
        break;
    }
  }
  finishBody(r, p, end);
}

function finishBody(r: Reader, p: Patcher, end: number): void {
  if (r.pos !== end) throw new FuelError(`fuel: a function body ends at byte ${r.pos}, before its declared end at ${end}; the module is malformed.`);
  p.to(end);
}

function instrumentCode(bytes: Uint8Array, section: Section, fuel: FuelCode, globals: GlobalRenumber, out: Writer): void {
  const r = new Reader(bytes, section.start, section.end);
  const body = new Writer(64 * 1024);
  const count = r.u32();
  out.u32(count);
  for (let i = 0; i < count; i++) {
    const size = r.u32();
    const start = r.pos;
    r.skip(size);
    body.reset();
    instrumentBody(bytes, start, start + size, fuel, globals, body);
    out.u32(body.length);
    out.append(body.view());
  }
  if (r.pos !== section.end) throw new FuelError('fuel: the code section is malformed.');
}

function isNameSection(bytes: Uint8Array, section: Section): boolean {
  return section.id === SECTION.custom && new Reader(bytes, section.start, section.end).name() === 'name';
}

const RENUMBERED: ReadonlySet<number> = new Set([SECTION.table, SECTION.global, SECTION.export, SECTION.elem, SECTION.data]);

export interface FuelOptions {
  /** Also export the counter, as FUEL_COUNTER_EXPORT. */
  exportCounter?: boolean;
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
  const fuel = new FuelCode(importedGlobals);

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
    if (section.id === SECTION.code) emit(section.id, (payload) => instrumentCode(bytes, section, fuel, globals, payload));
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
