// Byte-level reading and writing for the fuel instrumenter: LEB128, a growable output buffer, and a
// patcher that copies a source module through to the output with small insertions and
// replacements (the instrumenter changes a few bytes in place; everything else is copied as is).

/** Malformed or unsupported input. The message is a full sentence starting `fuel: `. */
export class FuelError extends Error {
  override name = 'FuelError';
}

export class Reader {
  constructor(
    readonly buf: Uint8Array,
    public pos = 0,
    readonly end = buf.length,
  ) {}

  u8(): number {
    if (this.pos >= this.end) throw new FuelError(`fuel: the module ends early (at byte ${this.pos}); it is truncated or malformed.`);
    return this.buf[this.pos++]!;
  }

  /** An unsigned LEB128 of at most 32 bits (indices, counts, sizes). */
  u32(): number {
    let result = 0;
    let shift = 0;
    let byte: number;
    do {
      byte = this.u8();
      result |= (byte & 0x7f) << shift;
      shift += 7;
    } while (byte & 0x80 && shift < 35);
    if (byte & 0x80) throw new FuelError(`fuel: a number at byte ${this.pos} is longer than 32 bits; the module is malformed.`);
    return result >>> 0;
  }

  /** Any LEB128 (signed or unsigned, of any width) whose value the instrumenter does not need. */
  skipLeb(): void {
    while (this.u8() & 0x80);
  }

  skip(count: number): void {
    if (this.pos + count > this.end) throw new FuelError(`fuel: the module ends early (at byte ${this.end}); it is truncated or malformed.`);
    this.pos += count;
  }

  name(): string {
    const length = this.u32();
    const start = this.pos;
    this.skip(length);
    return new TextDecoder().decode(this.buf.subarray(start, start + length));
  }
}

/** Encodes an unsigned LEB128 (for values below 2^32). */
export function uleb(value: number): number[] {
  const out: number[] = [];
  do {
    let byte = value & 0x7f;
    value = Math.floor(value / 128);
    if (value !== 0) byte |= 0x80;
    out.push(byte);
  } while (value !== 0);
  return out;
}

/** Encodes a signed LEB128 of an i64. */
export function sleb(value: bigint): number[] {
  const out: number[] = [];
  for (;;) {
    const byte = Number(value & 0x7fn);
    value >>= 7n; // arithmetic shift: keeps the sign
    const done = (value === 0n && !(byte & 0x40)) || (value === -1n && byte & 0x40);
    out.push(done ? byte : byte | 0x80);
    if (done) return out;
  }
}

export class Writer {
  private buf: Uint8Array<ArrayBuffer>;
  length = 0;

  constructor(capacity = 1024) {
    this.buf = new Uint8Array(Math.max(16, capacity));
  }

  private reserve(count: number): void {
    if (this.length + count <= this.buf.length) return;
    const grown = new Uint8Array(Math.max(this.buf.length * 2, this.length + count));
    grown.set(this.buf.subarray(0, this.length));
    this.buf = grown;
  }

  bytes(bytes: ArrayLike<number>): void {
    this.reserve(bytes.length);
    this.buf.set(bytes, this.length);
    this.length += bytes.length;
  }

  byte(value: number): void {
    this.reserve(1);
    this.buf[this.length++] = value;
  }

  u32(value: number): void {
    this.bytes(uleb(value));
  }

  /** A name: its UTF-8 length, then its bytes. */
  name(value: string): void {
    const encoded = new TextEncoder().encode(value);
    this.u32(encoded.length);
    this.bytes(encoded);
  }

  /** The bytes written so far (a view; copy it before writing more). */
  view(): Uint8Array<ArrayBuffer> {
    return this.buf.subarray(0, this.length);
  }

  reset(): void {
    this.length = 0;
  }
}

/**
 * Copies `src` to `out` lazily: `to(pos)` copies everything not yet copied up to `pos`, so the
 * caller interleaves copies with its own writes (insertions) and skips (replacements).
 */
export class Patcher {
  copied: number;

  constructor(
    readonly src: Uint8Array,
    readonly out: Writer,
    from: number,
  ) {
    this.copied = from;
  }

  to(pos: number): void {
    if (pos > this.copied) this.out.bytes(this.src.subarray(this.copied, pos));
    this.copied = pos;
  }

  /** Replaces `src[start, end)` with what `write` writes. */
  replace(start: number, end: number, write: (out: Writer) => void): void {
    this.to(start);
    write(this.out);
    this.copied = end;
  }
}
