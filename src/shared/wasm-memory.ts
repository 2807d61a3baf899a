// Caps the maximum of every memory of a core WebAssembly module by rewriting its bytes before
// compilation, so growth past the cap fails inside the guest instead of exhausting the tab.
// Only the import (2) and memory (5) sections are decoded; every other byte is copied as is.

export const WASM_PAGE_BYTES = 65536;

export interface MemoryInfo {
  kind: 'defined' | 'imported';
  index: number;
  /** Limits in pages. */
  min: number;
  max?: number;
  shared: boolean;
  memory64: boolean;
  module?: string;
  name?: string;
}

// Generic over the buffer so a Uint8Array<ArrayBuffer> input stays a valid BufferSource for WebAssembly.*.
export type CapResult<B extends ArrayBufferLike = ArrayBufferLike> =
  { ok: true; bytes: Uint8Array<B | ArrayBuffer>; changed: boolean; memories: MemoryInfo[] } | { ok: false; reason: string; memories: MemoryInfo[] };

// The largest valid maximum for each index type; a bigger cap must not produce an invalid module.
export const MAX_PAGES_32 = 65536;
export const MAX_PAGES_64 = 2 ** 48;

const SECTION_IMPORT = 2;
const SECTION_MEMORY = 5;
const SECTION_CODE = 10;

interface Section {
  id: number;
  start: number;
  payloadStart: number;
  end: number;
}

/** Where one memory's limits sit in the input, so they can be replaced in place. */
interface LimitsAt {
  info: MemoryInfo;
  section: Section;
  flags: number;
  start: number;
  minEnd: number;
  end: number;
}

class Reader {
  constructor(
    private readonly bytes: Uint8Array,
    public pos: number,
    private readonly end: number,
  ) {}

  byte(): number {
    if (this.pos >= this.end) throw new Error(`malformed wasm: unexpected end of data at offset ${this.pos}`);
    return this.bytes[this.pos++]!;
  }

  /** Unsigned LEB128. u64 values above 2^53 lose precision, harmless since they only get compared to a cap. */
  uleb(bits: 32 | 64): number {
    const start = this.pos;
    let result = 0;
    let scale = 1;
    for (let i = 0; i < Math.ceil(bits / 7); i++) {
      const b = this.byte();
      result += (b & 0x7f) * scale;
      if ((b & 0x80) === 0) {
        if (bits === 32 && result > 0xffffffff) throw new Error(`malformed wasm: u32 out of range at offset ${start}`);
        return result;
      }
      scale *= 128;
    }
    throw new Error(`malformed wasm: LEB128 integer too long at offset ${start}`);
  }

  /** Signed LEB128 (heap types), only skipped. */
  skipSleb(): void {
    for (let i = 0; i < 5; i++) if ((this.byte() & 0x80) === 0) return;
    throw new Error(`malformed wasm: LEB128 integer too long at offset ${this.pos}`);
  }

  name(): string {
    const len = this.uleb(32);
    if (this.pos + len > this.end) throw new Error(`malformed wasm: name runs past its section at offset ${this.pos}`);
    return new TextDecoder().decode(this.bytes.subarray(this.pos, (this.pos += len)));
  }

  limits(): { flags: number; min: number; max?: number; minEnd: number } {
    const at = this.pos;
    const flags = this.byte();
    // 0x08 and up are later proposals (custom page sizes) whose meaning of "page" differs.
    if (flags > 0x07) throw new Error(`unsupported limits flags 0x${flags.toString(16)} at offset ${at}`);
    const bits = flags & 0x04 ? 64 : 32;
    const min = this.uleb(bits);
    const minEnd = this.pos;
    return flags & 0x01 ? { flags, min, max: this.uleb(bits), minEnd } : { flags, min, minEnd };
  }

  /** A value type; reference types with an explicit heap type (0x63/0x64) carry one more LEB. */
  skipValType(): void {
    const t = this.byte();
    if (t === 0x63 || t === 0x64) this.skipSleb();
  }
}

function parse(bytes: Uint8Array): LimitsAt[] {
  if (bytes.length < 8 || bytes[0] !== 0x00 || bytes[1] !== 0x61 || bytes[2] !== 0x73 || bytes[3] !== 0x6d) {
    throw new Error('not a WebAssembly module: missing the "\\0asm" header');
  }
  if (bytes[6] !== 0 || bytes[7] !== 0) throw new Error('not a core WebAssembly module (it is a component or another layer)');
  if (bytes[4] !== 1 || bytes[5] !== 0) throw new Error(`unsupported WebAssembly version ${bytes[4]! | (bytes[5]! << 8)}`);

  const imported: LimitsAt[] = [];
  const defined: LimitsAt[] = [];
  let pos = 8;
  while (pos < bytes.length) {
    const header = new Reader(bytes, pos + 1, bytes.length);
    const size = header.uleb(32);
    const section: Section = { id: bytes[pos]!, start: pos, payloadStart: header.pos, end: header.pos + size };
    if (section.end > bytes.length) {
      throw new Error(`malformed wasm: section ${section.id} at offset ${pos} runs past the end of the module`);
    }
    const r = new Reader(bytes, section.payloadStart, section.end);
    if (section.id === SECTION_IMPORT) readImports(r, section, imported);
    else if (section.id === SECTION_MEMORY) readMemorySection(r, section, defined);
    if ((section.id === SECTION_IMPORT || section.id === SECTION_MEMORY) && r.pos !== section.end) {
      throw new Error(`malformed wasm: section ${section.id} at offset ${pos} has ${section.end - r.pos} trailing bytes`);
    }
    pos = section.end;
  }
  const all = [...imported, ...defined];
  all.forEach((l, i) => (l.info.index = i));
  return all;
}

function readLimitsAt(r: Reader, section: Section, kind: MemoryInfo['kind'], module?: string, name?: string): LimitsAt {
  const start = r.pos;
  const { flags, min, max, minEnd } = r.limits();
  const info: MemoryInfo = { kind, index: 0, min, shared: (flags & 0x02) !== 0, memory64: (flags & 0x04) !== 0 };
  if (max !== undefined) info.max = max;
  if (module !== undefined) info.module = module;
  if (name !== undefined) info.name = name;
  return { info, section, flags, start, minEnd, end: r.pos };
}

function readImports(r: Reader, section: Section, out: LimitsAt[]): void {
  for (let n = r.uleb(32); n > 0; n--) {
    const module = r.name();
    const name = r.name();
    const kindAt = r.pos;
    const kind = r.byte();
    if (kind === 0x02) out.push(readLimitsAt(r, section, 'imported', module, name));
    else if (kind === 0x00)
      r.uleb(32); // func: type index
    else if (kind === 0x01) {
      r.skipValType();
      r.limits();
    } // table: reference type + limits
    else if (kind === 0x03) {
      r.skipValType();
      r.byte();
    } // global: value type + mutability
    else if (kind === 0x04) {
      r.byte();
      r.uleb(32);
    } // tag: attribute + type index
    else throw new Error(`malformed wasm: unknown import kind 0x${kind.toString(16)} at offset ${kindAt}`);
  }
}

function readMemorySection(r: Reader, section: Section, out: LimitsAt[]): void {
  for (let n = r.uleb(32); n > 0; n--) out.push(readLimitsAt(r, section, 'defined'));
}

function encodeUleb(value: number): number[] {
  const out: number[] = [];
  do {
    const low = value % 128;
    value = Math.floor(value / 128);
    out.push(value > 0 ? low | 0x80 : low);
  } while (value > 0);
  return out;
}

/**
 * How many bytes of a core module come before its code section: its head, where imports and
 * memories are declared (all that capMemory reads and rewrites). The whole module when it has no
 * code. Throws on malformed input.
 */
export function headLength(bytes: Uint8Array): number {
  let pos = 8;
  while (pos < bytes.length) {
    if (bytes[pos] === SECTION_CODE) return pos;
    const header = new Reader(bytes, pos + 1, bytes.length);
    const end = header.uleb(32) + header.pos;
    if (end > bytes.length) throw new Error(`malformed wasm: section ${bytes[pos]} at offset ${pos} runs past the end of the module`);
    pos = end;
  }
  return bytes.length;
}

export const mib = (pages: number) => ((pages * WASM_PAGE_BYTES) / (1024 * 1024)).toFixed(1);

/** The memories of a core module, imported ones first, limits in pages. Throws on malformed input. */
export function readMemories(bytes: Uint8Array): MemoryInfo[] {
  return parse(bytes).map((l) => l.info);
}

/**
 * Lowers every memory's maximum to floor(maxBytes / 64 KiB) pages (or the smaller share
 * `sharePages` gives it), adding one where missing.
 * Refuses (ok: false) when a memory's minimum is already above the cap. Returns the input object
 * itself when nothing needs changing. `memories` describes the result. Throws on malformed input.
 */
export function capMemory<B extends ArrayBufferLike>(bytes: Uint8Array<B>, maxBytes: number, sharePages?: (info: MemoryInfo) => number): CapResult<B> {
  if (!Number.isFinite(maxBytes) || maxBytes < 0) throw new RangeError(`invalid memory cap: ${maxBytes} bytes`);
  const limits = parse(bytes);
  const capPages = Math.floor(maxBytes / WASM_PAGE_BYTES);
  const memories = limits.map((l) => ({ ...l.info }));

  const capOf = (info: MemoryInfo) => Math.min(sharePages?.(info) ?? capPages, capPages, info.memory64 ? MAX_PAGES_64 : MAX_PAGES_32);
  const tooBig = memories.find((m) => m.min > capOf(m));
  if (tooBig) {
    const { index, min } = tooBig;
    const cap = capOf(tooBig);
    const reason =
      `memory ${index} needs at least ${mib(min)} MiB (${min} pages) but the cap is ` + `${mib(cap)} MiB (${cap} pages); raise the memory limit in Settings`;
    return { ok: false, reason, memories };
  }

  const patches = new Map<Section, { start: number; end: number; bytes: Uint8Array }[]>();
  for (const l of limits) {
    const cap = capOf(l.info);
    if (l.info.max !== undefined && l.info.max <= cap) continue;
    // The original min bytes are kept as they were (they may be padded); only flags and max change.
    const replacement = Uint8Array.from([l.flags | 0x01, ...bytes.subarray(l.start + 1, l.minEnd), ...encodeUleb(cap)]);
    const list = patches.get(l.section) ?? [];
    list.push({ start: l.start, end: l.end, bytes: replacement });
    patches.set(l.section, list);
    memories[l.info.index]!.max = cap;
  }
  if (patches.size === 0) return { ok: true, bytes, changed: false, memories };

  const pieces: Uint8Array[] = [];
  let copiedUpTo = 0;
  for (const [section, list] of [...patches].sort((a, b) => a[0].start - b[0].start)) {
    pieces.push(bytes.subarray(copiedUpTo, section.start));
    const payload: Uint8Array[] = [];
    let cursor = section.payloadStart;
    for (const p of list) {
      payload.push(bytes.subarray(cursor, p.start), p.bytes);
      cursor = p.end;
    }
    payload.push(bytes.subarray(cursor, section.end));
    const size = payload.reduce((sum, p) => sum + p.length, 0);
    pieces.push(Uint8Array.from([section.id, ...encodeUleb(size)]), ...payload);
    copiedUpTo = section.end;
  }
  pieces.push(bytes.subarray(copiedUpTo));

  const out = new Uint8Array(pieces.reduce((sum, p) => sum + p.length, 0));
  let offset = 0;
  for (const p of pieces) {
    out.set(p, offset);
    offset += p.length;
  }
  return { ok: true, bytes: out, changed: true, memories };
}
