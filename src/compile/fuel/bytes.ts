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

  /** Appends a few bytes (inserted code, headers). */
  bytes(bytes: ArrayLike<number>): void {
    if (this.length + bytes.length > this.buf.length) this.reserve(bytes.length);
    for (let i = 0; i < bytes.length; i++) this.buf[this.length++] = bytes[i]!;
  }

  /**
   * Appends `src[start, end)`. Short runs (most stretches of code) are copied by hand: a
   * `subarray` + `set` per run allocates, and the instrumenter copies millions of them.
   */
  copy(src: Uint8Array, start: number, end: number): void {
    const count = end - start;
    if (this.length + count > this.buf.length) this.reserve(count);
    const buf = this.buf;
    if (count < 64) {
      let at = this.length;
      for (let i = start; i < end; i++) buf[at++] = src[i]!;
    } else {
      buf.set(src.subarray(start, end), this.length);
    }
    this.length += count;
  }

  /** Appends a whole array (a section, a function body). */
  append(bytes: Uint8Array): void {
    this.copy(bytes, 0, bytes.length);
  }

  byte(value: number): void {
    if (this.length + 1 > this.buf.length) this.reserve(1);
    this.buf[this.length++] = value;
  }

  /** An unsigned LEB128 (for values below 2^32), without allocating. */
  u32(value: number): void {
    if (this.length + 5 > this.buf.length) this.reserve(5);
    do {
      let byte = value & 0x7f;
      value >>>= 7;
      if (value !== 0) byte |= 0x80;
      this.buf[this.length++] = byte;
    } while (value !== 0);
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
    if (pos > this.copied) this.out.copy(this.src, this.copied, pos);
    this.copied = pos;
  }

  /** Replaces `src[start, end)` with what `write` writes. */
  replace(start: number, end: number, write: (out: Writer) => void): void {
    this.to(start);
    write(this.out);
    this.copied = end;
  }
}
