// A small JSON reader and string quoting for AssemblyScript plugins (no library needed).
// parse() returns null for text that is not JSON, instead of aborting, so a plugin can decide
// what to do with a bad payload. The four SoundTime samples carry identical copies of this
// file so that each folder stands alone; a unit test keeps them identical.

export enum JsonKind {
  Null,
  Bool,
  Number,
  String,
  Array,
  Object,
}

export class JsonValue {
  kind: JsonKind = JsonKind.Null;
  bool: bool = false;
  num: f64 = 0;
  str: string = '';
  items: JsonValue[] = [];
  keys: string[] = [];

  /** The member `key` of an object (the last one if repeated), or null. */
  get(key: string): JsonValue | null {
    if (this.kind != JsonKind.Object) return null;
    for (let i = this.keys.length - 1; i >= 0; i--) {
      if (this.keys[i] == key) return this.items[i];
    }
    return null;
  }

  /** The string member `key`, or null when it is missing or not a string. */
  getString(key: string): string | null {
    const value = this.get(key);
    if (value === null || value.kind != JsonKind.String) return null;
    return value.str;
  }

  /** The number member `key`, or `fallback` when it is missing or not a number. */
  getNumber(key: string, fallback: f64): f64 {
    const value = this.get(key);
    if (value === null || value.kind != JsonKind.Number) return fallback;
    return value.num;
  }
}

class Reader {
  pos: i32 = 0;
  failed: bool = false;

  constructor(public text: string) {}

  fail(): JsonValue {
    this.failed = true;
    return new JsonValue();
  }

  skipSpace(): void {
    while (this.pos < this.text.length) {
      const c = this.text.charCodeAt(this.pos);
      if (c != 0x20 && c != 0x09 && c != 0x0a && c != 0x0d) break;
      this.pos++;
    }
  }

  peek(): i32 {
    return this.pos < this.text.length ? this.text.charCodeAt(this.pos) : -1;
  }

  literal(word: string): bool {
    if (this.text.substr(this.pos, word.length) != word) return false;
    this.pos += word.length;
    return true;
  }

  value(depth: i32): JsonValue {
    if (depth > 64) return this.fail();
    this.skipSpace();
    const c = this.peek();
    const v = new JsonValue();
    if (c == 0x7b /* { */) {
      v.kind = JsonKind.Object;
      this.pos++;
      this.skipSpace();
      if (this.peek() == 0x7d) {
        this.pos++;
        return v;
      }
      while (!this.failed) {
        this.skipSpace();
        if (this.peek() != 0x22) return this.fail();
        const key = this.string();
        this.skipSpace();
        if (this.peek() != 0x3a /* : */) return this.fail();
        this.pos++;
        const item = this.value(depth + 1);
        v.keys.push(key);
        v.items.push(item);
        this.skipSpace();
        const next = this.peek();
        this.pos++;
        if (next == 0x7d /* } */) return v;
        if (next != 0x2c /* , */) return this.fail();
      }
      return v;
    }
    if (c == 0x5b /* [ */) {
      v.kind = JsonKind.Array;
      this.pos++;
      this.skipSpace();
      if (this.peek() == 0x5d) {
        this.pos++;
        return v;
      }
      while (!this.failed) {
        v.items.push(this.value(depth + 1));
        this.skipSpace();
        const next = this.peek();
        this.pos++;
        if (next == 0x5d /* ] */) return v;
        if (next != 0x2c) return this.fail();
      }
      return v;
    }
    if (c == 0x22 /* " */) {
      v.kind = JsonKind.String;
      v.str = this.string();
      return v;
    }
    if (this.literal('true')) {
      v.kind = JsonKind.Bool;
      v.bool = true;
      return v;
    }
    if (this.literal('false')) {
      v.kind = JsonKind.Bool;
      return v;
    }
    if (this.literal('null')) return v;
    if (c == 0x2d || (c >= 0x30 && c <= 0x39)) {
      const start = this.pos;
      this.pos++;
      while (this.pos < this.text.length) {
        const d = this.text.charCodeAt(this.pos);
        if (!((d >= 0x30 && d <= 0x39) || d == 0x2e || d == 0x65 || d == 0x45 || d == 0x2b || d == 0x2d)) break;
        this.pos++;
      }
      v.kind = JsonKind.Number;
      v.num = parseFloat(this.text.substring(start, this.pos));
      if (isNaN(v.num)) return this.fail();
      return v;
    }
    return this.fail();
  }

  /** The four hex digits at `pos` as a number, or -1. */
  hex4(): i32 {
    if (this.pos + 4 > this.text.length) return -1;
    let code = 0;
    for (let i = 0; i < 4; i++) {
      const d = this.text.charCodeAt(this.pos + i);
      let n = -1;
      if (d >= 0x30 && d <= 0x39) n = d - 0x30;
      else if (d >= 0x61 && d <= 0x66) n = d - 0x61 + 10;
      else if (d >= 0x41 && d <= 0x46) n = d - 0x41 + 10;
      if (n < 0) return -1;
      code = (code << 4) | n;
    }
    return code;
  }

  /** A string literal starting at the opening quote; sets `failed` if it is malformed. */
  string(): string {
    this.pos++;
    const parts: string[] = [];
    let start = this.pos;
    while (this.pos < this.text.length) {
      const c = this.text.charCodeAt(this.pos);
      if (c == 0x22) {
        parts.push(this.text.substring(start, this.pos));
        this.pos++;
        return parts.join('');
      }
      if (c < 0x20) break;
      if (c != 0x5c /* \ */) {
        this.pos++;
        continue;
      }
      parts.push(this.text.substring(start, this.pos));
      const e = this.text.charCodeAt(this.pos + 1);
      this.pos += 2;
      if (e == 0x22) parts.push('"');
      else if (e == 0x5c) parts.push('\\');
      else if (e == 0x2f) parts.push('/');
      else if (e == 0x62) parts.push(String.fromCharCode(8));
      else if (e == 0x66) parts.push(String.fromCharCode(12));
      else if (e == 0x6e) parts.push('\n');
      else if (e == 0x72) parts.push('\r');
      else if (e == 0x74) parts.push('\t');
      else if (e == 0x75 /* u */) {
        const code = this.hex4();
        if (code < 0) break;
        // Surrogate pairs arrive as two escapes, one code unit each: joining them is enough.
        parts.push(String.fromCharCode(code));
        this.pos += 4;
      } else break;
      start = this.pos;
    }
    this.failed = true;
    return '';
  }
}

/** Parses JSON text; null when it is not valid JSON. */
export function parse(text: string): JsonValue | null {
  const reader = new Reader(text);
  const value = reader.value(0);
  reader.skipSpace();
  if (reader.failed || reader.pos != text.length) return null;
  return value;
}

const HEX = '0123456789abcdef';

/** `s` as a JSON string literal, quotes included. */
export function quote(s: string): string {
  const parts: string[] = ['"'];
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x20 && c != 0x22 && c != 0x5c) continue;
    parts.push(s.substring(start, i));
    if (c == 0x22) parts.push('\\"');
    else if (c == 0x5c) parts.push('\\\\');
    else if (c == 0x0a) parts.push('\\n');
    else if (c == 0x0d) parts.push('\\r');
    else if (c == 0x09) parts.push('\\t');
    else parts.push('\\u00' + HEX.charAt(c >> 4) + HEX.charAt(c & 15));
    start = i + 1;
  }
  parts.push(s.substring(start));
  parts.push('"');
  return parts.join('');
}
