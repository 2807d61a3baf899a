// Module-level edits for the fuel instrumenter: the added import, and renumbering globals.
// Imported globals come first in the global index space, so appending our imported global takes
// index G (G = the module's own imported globals) and moves every defined global up by one. Each
// place that names a global by index is rewritten: `global.get` in constant expressions (global
// initialisers, table initialisers, element and data offsets and items), global exports, and the
// global names in the `name` section. Code is rewritten in instrument.ts.
import { FuelError, Patcher, Reader, Writer } from './bytes.ts';
import { scan, valType } from './instructions.ts';
import { FUEL_COUNTER_EXPORT, FUEL_IMPORT_MODULE, FUEL_IMPORT_NAME } from '../../shared/fuel.ts';

export const SECTION = { custom: 0, type: 1, import: 2, function: 3, table: 4, global: 6, export: 7, elem: 9, code: 10, data: 11 } as const;

export interface Section {
  id: number;
  /** The payload, without the id and size. */
  start: number;
  end: number;
}

export function readSections(bytes: Uint8Array): Section[] {
  const magic = [0x00, 0x61, 0x73, 0x6d];
  if (bytes.length < 8 || magic.some((byte, i) => bytes[i] !== byte)) throw new FuelError('fuel: this is not a WebAssembly module (no \\0asm header).');
  if (bytes[4] !== 1 || bytes[5] !== 0 || bytes[6] !== 0 || bytes[7] !== 0) {
    throw new FuelError(
      'fuel: only core modules (binary version 1) can be instrumented; a component must be split into its core modules first (jco transpile).',
    );
  }
  const r = new Reader(bytes, 8);
  const sections: Section[] = [];
  while (r.pos < bytes.length) {
    const id = r.u8();
    const size = r.u32();
    sections.push({ id, start: r.pos, end: r.pos + size });
    r.skip(size);
  }
  return sections;
}

function limits(r: Reader): void {
  const flags = r.u8();
  r.skipLeb(); // min (u32, or u64 for memory64/table64)
  if (flags & 0x01) r.skipLeb(); // max
  if (flags & 0x08) r.u32(); // custom page size
}

/** Counts the imported globals, and refuses a module that is already instrumented. */
export function countImportedGlobals(bytes: Uint8Array, section: Section | undefined): number {
  if (!section) return 0;
  const r = new Reader(bytes, section.start, section.end);
  let globals = 0;
  for (let count = r.u32(); count > 0; count--) {
    const module = r.name();
    const name = r.name();
    if (module === FUEL_IMPORT_MODULE) throw new FuelError(`fuel: the module already imports ${module}.${name}; it is instrumented already.`);
    const kind = r.u8();
    if (kind > 0x04) {
      throw new FuelError(
        `fuel: the import ${module}.${name} has kind 0x${kind.toString(16)}, which this instrumenter cannot read (compact import encodings are not supported).`,
      );
    }
    if (kind === 0x01 || kind === 0x03) valType(r); // table element type, global type
    if (kind === 0x01 || kind === 0x02) limits(r); // table, memory
    if (kind === 0x03) r.u8(); // global mutability
    if (kind === 0x04) r.u8(); // tag attribute
    if (kind === 0x00 || kind === 0x04) r.u32(); // type index
    if (kind === 0x03) globals++;
  }
  if (r.pos !== section.end) throw new FuelError('fuel: the import section is malformed.');
  return globals;
}

/** Our import: a mutable i64 global. */
export function writeFuelImport(out: Writer): void {
  out.name(FUEL_IMPORT_MODULE);
  out.name(FUEL_IMPORT_NAME);
  out.bytes([0x03, 0x7e, 0x01]);
}

/** The import section with our import appended (or a new one). */
export function rewriteImports(bytes: Uint8Array, section: Section | undefined, out: Writer): void {
  if (!section) {
    out.u32(1);
    writeFuelImport(out);
    return;
  }
  const r = new Reader(bytes, section.start, section.end);
  out.u32(r.u32() + 1);
  out.append(bytes.subarray(r.pos, section.end));
  writeFuelImport(out);
}

/** Sections the spec places after the export section (start, elem, data count, code, data). */
export const AFTER_EXPORTS: ReadonlySet<number> = new Set([8, 9, 12, 10, 11]);

/** An export section's payload (the module's own, or none) with the counter's export appended. */
export function writeCounterExport(own: Uint8Array | undefined, globalIndex: number, out: Writer): void {
  if (own) {
    const r = new Reader(own);
    out.u32(r.u32() + 1);
    out.append(own.subarray(r.pos));
  } else {
    out.u32(1);
  }
  out.name(FUEL_COUNTER_EXPORT);
  out.byte(0x03);
  out.u32(globalIndex);
}

/** Rewrites `global.get i` to `i + 1` for defined globals (i >= first). */
export class GlobalRenumber {
  constructor(readonly first: number) {}

  /** `r` is just past the 0x23/0x24 opcode; replaces the index if it moves. */
  index(r: Reader, p: Patcher): void {
    const start = r.pos;
    const index = r.u32();
    if (index < this.first) return;
    p.to(start); // hot in code (every stack pointer access): no closure, no allocation
    p.out.u32(index + 1);
    p.copied = r.pos;
  }

  /** A constant expression, up to and including its `end`. */
  constExpr(r: Reader, p: Patcher): void {
    for (;;) {
      const op = r.buf[r.pos];
      if (op === 0x0b) {
        r.pos++;
        return;
      }
      if (op === 0x23) {
        r.pos++;
        this.index(r, p);
      } else {
        scan(r);
      }
      if (r.pos >= r.end) throw new FuelError('fuel: a constant expression runs past the end of its section.');
    }
  }

  /** A section's payload with every global index moved. */
  section(bytes: Uint8Array, section: Section, out: Writer): void {
    const r = new Reader(bytes, section.start, section.end);
    const p = new Patcher(bytes, out, section.start);
    if (section.id === SECTION.custom) this.names(r, p);
    else for (let count = r.u32(); count > 0; count--) this.entry(section.id, r, p);
    if (r.pos !== section.end) throw new FuelError(`fuel: section ${section.id} is malformed (it ends at byte ${r.pos}, not ${section.end}).`);
    p.to(section.end);
  }

  private entry(id: number, r: Reader, p: Patcher): void {
    if (id === SECTION.global) {
      valType(r);
      r.u8(); // mutability
      this.constExpr(r, p);
    } else if (id === SECTION.export) {
      r.name();
      if (r.u8() === 0x03) this.index(r, p);
      else r.u32();
    } else if (id === SECTION.table) {
      const init = r.buf[r.pos] === 0x40 && r.buf[r.pos + 1] === 0x00;
      if (init) r.pos += 2;
      valType(r);
      limits(r);
      if (init) this.constExpr(r, p);
    } else if (id === SECTION.data) {
      const flags = r.u32();
      if (flags === 2) r.u32(); // memory index
      if (flags !== 1) this.constExpr(r, p); // offset of an active segment
      r.skip(r.u32());
    } else if (id === SECTION.elem) {
      this.element(r, p);
    }
  }

  private element(r: Reader, p: Patcher): void {
    const flags = r.u32();
    if (flags > 7) throw new FuelError(`fuel: an element segment has flags ${flags}, which this instrumenter cannot read.`);
    const active = (flags & 0x01) === 0;
    const explicitTable = (flags & 0x02) !== 0;
    const expressions = (flags & 0x04) !== 0;
    if (active && explicitTable) r.u32();
    if (active) this.constExpr(r, p);
    if (!active || explicitTable) {
      if (expressions) valType(r);
      else r.u8(); // element kind
    }
    for (let count = r.u32(); count > 0; count--) {
      if (expressions) this.constExpr(r, p);
      else r.u32();
    }
  }

  /**
   * The `name` section: global names (subsection 7) are renumbered, and label names (3) are
   * dropped, because they are keyed by the order of blocks in a function and the inserted checks
   * add blocks.
   */
  private names(r: Reader, p: Patcher): void {
    r.name();
    while (r.pos < r.end) {
      const subsectionAt = r.pos;
      const id = r.u8();
      const sizeAt = r.pos;
      const size = r.u32();
      const end = r.pos + size;
      if (id === 3) p.replace(subsectionAt, end, () => {});
      if (id !== 7) {
        r.skip(size);
        continue;
      }
      const entries = new Writer(size + 16);
      const inner = new Patcher(r.buf, entries, r.pos);
      for (let count = r.u32(); count > 0; count--) {
        this.index(r, inner);
        r.name();
      }
      if (r.pos !== end) throw new FuelError('fuel: the global names in the name section are malformed.');
      inner.to(end);
      p.replace(sizeAt, end, (out) => {
        out.u32(entries.length);
        out.append(entries.view());
      });
    }
  }
}
