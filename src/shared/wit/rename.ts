// wit-component's printer (jco's componentWit) writes only a component's root package: an
// interface from any other package shows as `import test:flavorful/test;`, without its types or
// functions. Renaming every interface a component imports or exports into the root package
// (`root:component/pp0-test`) makes the same printer write each one in full, with the `use`s
// between them. Only the names in the top-level import and export sections change; every other
// byte is copied, so the types the printer reads are the component's own.

const COMPONENT_PREAMBLE = [0x00, 0x61, 0x73, 0x6d, 0x0d, 0x00, 0x01, 0x00];
const SECTION_IMPORT = 10;
const SECTION_EXPORT = 11;
const INTERFACE_NAME = /^([a-z][a-z0-9-]*):([a-z][a-z0-9-]*)\/([a-z][a-z0-9-]*)(@[^\s]+)?$/;

export interface Renamed {
  bytes: Uint8Array;
  /** Interface name as printed (`pp0-test`) -> the component's own name (`test:flavorful/test`). */
  names: Record<string, string>;
}

export class ComponentFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ComponentFormatError';
  }
}

class Reader {
  constructor(
    readonly bytes: Uint8Array,
    public pos = 0,
  ) {}

  byte(): number {
    if (this.pos >= this.bytes.length) throw new ComponentFormatError(`unexpected end of the component at offset ${this.pos}`);
    return this.bytes[this.pos++]!;
  }

  u32(): number {
    let result = 0;
    let shift = 0;
    for (;;) {
      const b = this.byte();
      result += (b & 0x7f) * 2 ** shift;
      if ((b & 0x80) === 0) return result;
      shift += 7;
      if (shift > 28) throw new ComponentFormatError(`malformed integer at offset ${this.pos}`);
    }
  }

  /** A LEB128 integer of either sign, skipped (type indices and value types). */
  skipLeb(): void {
    while (this.byte() & 0x80);
  }

  name(): string {
    const kind = this.byte();
    // 0x01 marked interface names in older binaries; both carry a plain string.
    if (kind !== 0x00 && kind !== 0x01) throw new ComponentFormatError(`unknown name encoding 0x${kind.toString(16)} at offset ${this.pos - 1}`);
    const length = this.u32();
    const start = this.pos;
    this.pos += length;
    if (this.pos > this.bytes.length) throw new ComponentFormatError('a name runs past the end of the component');
    return new TextDecoder().decode(this.bytes.subarray(start, this.pos));
  }

  externDesc(): void {
    const sort = this.byte();
    switch (sort) {
      case 0x00: // core module: 0x11 then its type index
        this.byte();
        this.u32();
        return;
      case 0x02: // value: eq index, or a value type
        if (this.byte() === 0x00) this.u32();
        else this.skipLeb();
        return;
      case 0x03: // type: (eq i), or (sub resource)
        if (this.byte() === 0x00) this.u32();
        return;
      case 0x01:
      case 0x04:
      case 0x05:
        this.u32();
        return;
      default:
        throw new ComponentFormatError(`unknown extern kind 0x${sort.toString(16)} at offset ${this.pos - 1}`);
    }
  }

  sortIndex(): void {
    if (this.byte() === 0x00) this.byte();
    this.u32();
  }
}

function leb(value: number): number[] {
  const out: number[] = [];
  do {
    let b = value & 0x7f;
    value = Math.floor(value / 128);
    if (value) b |= 0x80;
    out.push(b);
  } while (value);
  return out;
}

function nameBytes(name: string): number[] {
  const utf8 = new TextEncoder().encode(name);
  return [0x00, ...leb(utf8.length), ...utf8];
}

/** Renames the component's interface imports and exports into the root package; see the file comment. */
export function renameInterfaces(component: Uint8Array): Renamed {
  if (!COMPONENT_PREAMBLE.every((b, i) => component[i] === b)) throw new ComponentFormatError('not a WebAssembly component');
  const names: Record<string, string> = {};
  const printed = new Map<string, string>();
  const rename = (original: string): string => {
    const match = INTERFACE_NAME.exec(original);
    if (!match) return original;
    let short = printed.get(original);
    if (!short) {
      short = `pp${printed.size}-${match[3]}`;
      printed.set(original, short);
      names[short] = original;
    }
    return `root:component/${short}`;
  };

  // Sections other than imports and exports are copied as views, not byte by byte: a JS engine
  // component is megabytes.
  const parts: Uint8Array[] = [Uint8Array.from(COMPONENT_PREAMBLE)];
  const r = new Reader(component, COMPONENT_PREAMBLE.length);
  while (r.pos < component.length) {
    const id = r.byte();
    const size = r.u32();
    const start = r.pos;
    const end = start + size;
    if (end > component.length) throw new ComponentFormatError(`section ${id} runs past the end of the component`);
    if (id !== SECTION_IMPORT && id !== SECTION_EXPORT) {
      parts.push(Uint8Array.from([id, ...leb(size)]), component.subarray(start, end));
      r.pos = end;
      continue;
    }
    const body: number[] = [];
    const count = r.u32();
    body.push(...leb(count));
    for (let i = 0; i < count; i++) {
      const name = r.name();
      const rest = r.pos;
      if (id === SECTION_IMPORT) r.externDesc();
      else {
        r.sortIndex();
        if (r.byte() === 0x01) r.externDesc();
      }
      body.push(...nameBytes(rename(name)));
      for (let j = rest; j < r.pos; j++) body.push(component[j]!);
    }
    if (r.pos !== end) throw new ComponentFormatError(`section ${id} has ${end - r.pos} bytes the reader did not expect`);
    parts.push(Uint8Array.from([id, ...leb(body.length), ...body]));
  }
  const bytes = new Uint8Array(parts.reduce((n, part) => n + part.length, 0));
  let at = 0;
  for (const part of parts) {
    bytes.set(part, at);
    at += part.length;
  }
  return { bytes, names };
}
