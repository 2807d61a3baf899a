// The component model's canonical ABI for a host import: lifting a call's flat arguments out of
// the guest's memory and storing its result there. jco does this inside its generated bindings,
// where every import also runs through its task machinery (see host-abi.ts for why the worker
// does it itself); no library offers the lowering on its own, so the rules the host interface
// needs are written here, over the WIT type model of src/shared/wit/model.ts.
// https://github.com/WebAssembly/component-model/blob/main/design/mvp/CanonicalABI.md
import { camelCase } from '../shared/wit/jco-values.ts';
import type { WitType } from '../shared/wit/model.ts';
import { utf8Length } from '../shared/utf8.ts';

/** What the guest's memory is read and written through: its memory and allocator. */
export interface GuestMemory {
  memory: WebAssembly.Memory;
  realloc?: (oldPtr: number, oldSize: number, align: number, newSize: number) => number;
}

interface Layout {
  size: number;
  align: number;
}

const alignTo = (offset: number, align: number) => Math.ceil(offset / align) * align;

const PRIMITIVES: Partial<Record<WitType['kind'], Layout>> = {
  bool: { size: 1, align: 1 },
  u8: { size: 1, align: 1 },
  s8: { size: 1, align: 1 },
  u16: { size: 2, align: 2 },
  s16: { size: 2, align: 2 },
  u32: { size: 4, align: 4 },
  s32: { size: 4, align: 4 },
  u64: { size: 8, align: 8 },
  s64: { size: 8, align: 8 },
  f64: { size: 8, align: 8 },
  string: { size: 8, align: 4 },
};

const unsupported = (type: WitType, what: string): never => {
  throw new TypeError(`the worker's canonical ABI has no ${what} for ${type.name ?? type.kind}`);
};

function fieldsLayout(types: WitType[]): Layout & { offsets: number[] } {
  let offset = 0;
  let align = 1;
  const offsets = types.map((type) => {
    const field = layout(type);
    offset = alignTo(offset, field.align);
    align = Math.max(align, field.align);
    const at = offset;
    offset += field.size;
    return at;
  });
  return { size: alignTo(offset, align), align, offsets };
}

/** Two cases (option, result): a one-byte discriminant, then the payload at its alignment. */
function casesLayout(cases: Array<WitType | undefined>): Layout & { payload: number } {
  const payloads = cases.map((type) => (type === undefined ? { size: 0, align: 1 } : layout(type)));
  const align = Math.max(1, ...payloads.map((p) => p.align));
  const payload = alignTo(1, align);
  return { size: alignTo(payload + Math.max(...payloads.map((p) => p.size)), align), align, payload };
}

export function layout(type: WitType): Layout {
  switch (type.kind) {
    case 'list':
      return type.length === undefined ? { size: 8, align: 4 } : unsupported(type, 'fixed-length list');
    case 'tuple':
      return fieldsLayout(type.items);
    case 'record':
      return fieldsLayout(type.fields.map((f) => f.type));
    case 'option':
      return casesLayout([undefined, type.inner]);
    case 'result':
      return casesLayout([type.ok, type.err]);
    default:
      return PRIMITIVES[type.kind] ?? unsupported(type, 'layout');
  }
}

/** The guest broke the ABI (a pointer out of its memory): the call traps, saying so. */
function outOfBounds(what: string, ptr: number, bytes: number, memory: ArrayBuffer): never {
  throw new RangeError(`the plugin passed a ${what} at ${ptr} of ${bytes} bytes, outside its ${memory.byteLength}-byte memory`);
}

// Like jco's bindings: text that is not UTF-8 is decoded with replacement characters.
const decoder = new TextDecoder();
const encoder = new TextEncoder();

/** The guest's memory through one DataView, made again only when the memory has grown. */
export class MemoryAccess {
  private buffer?: ArrayBuffer;
  private dataView?: DataView;

  constructor(private readonly mem: GuestMemory) {}

  /** The view to read or write `bytes` at `ptr` through; traps when they are not all in the memory. */
  view(what: string, ptr: number, bytes: number): DataView {
    const buffer = this.mem.memory.buffer;
    if (buffer !== this.buffer) {
      this.buffer = buffer;
      this.dataView = new DataView(buffer);
    }
    if (ptr + bytes > buffer.byteLength) outOfBounds(what, ptr, bytes, buffer);
    return this.dataView!;
  }

  bytes(what: string, ptr: number, len: number): Uint8Array {
    return new Uint8Array(this.view(what, ptr, len).buffer, ptr, len);
  }

  alloc(align: number, size: number): number {
    if (!this.mem.realloc) throw new Error('the plugin exports no cabi_realloc to receive the result');
    return this.mem.realloc(0, 0, align, size) >>> 0;
  }

  string(ptr: number, len: number): string {
    return decoder.decode(this.bytes('string', ptr, len));
  }
}

/** Lifts one parameter from the flat values at `at`; `flat` is how many it takes. */
export interface Lifter {
  flat: number;
  lift(access: MemoryAccess, flat: number[], at: number): unknown;
}

/** Parameters that are 32-bit numbers, strings or lists: what the host interface takes. */
export function lifter(type: WitType): Lifter {
  switch (type.kind) {
    case 'u32':
      return { flat: 1, lift: (_, flat, at) => flat[at]! >>> 0 };
    case 's32':
      return { flat: 1, lift: (_, flat, at) => flat[at]! | 0 };
    case 'string':
      return { flat: 2, lift: (access, flat, at) => access.string(flat[at]! >>> 0, flat[at + 1]! >>> 0) };
    case 'list': {
      const load = loader(type.element);
      const element = layout(type.element).size;
      return {
        flat: 2,
        lift: (access, flat, at) => {
          const ptr = flat[at]! >>> 0;
          const len = flat[at + 1]! >>> 0;
          access.view('list', ptr, len * element);
          return Array.from({ length: len }, (_, i) => load(access, ptr + i * element));
        },
      };
    }
    default:
      return unsupported(type, 'parameter lifting');
  }
}

/** Reads a value stored in memory: the strings and tuples of a list parameter. */
function loader(type: WitType): (access: MemoryAccess, ptr: number) => unknown {
  switch (type.kind) {
    case 'string':
      return (access, ptr) => {
        const view = access.view('string', ptr, 8);
        return access.string(view.getUint32(ptr, true), view.getUint32(ptr + 4, true));
      };
    case 'tuple': {
      const { offsets } = fieldsLayout(type.items);
      const loads = type.items.map(loader);
      return (access, ptr) => loads.map((load, i) => load(access, ptr + offsets[i]!));
    }
    default:
      return unsupported(type, 'loading from memory');
  }
}

/** Stores one value at `ptr` in the guest's memory, allocating its strings and lists there. */
export type Store = (access: MemoryAccess, value: unknown, ptr: number) => void;

/** The host's own answer did not fit its WIT type: a bug on the page, reported as one. */
function expect(ok: boolean, value: unknown, what: string): void {
  if (!ok) throw new TypeError(`the host answered ${typeof value === 'bigint' ? `${value}n` : JSON.stringify(value)} where the WIT type needs ${what}`);
}

function pointerAndLength(access: MemoryAccess, ptr: number, target: number, len: number): void {
  const view = access.view('result pointer', ptr, 8);
  view.setUint32(ptr, target, true);
  view.setUint32(ptr + 4, len, true);
}

/** The storer of `type`, built once: its layout is worked out here, not on every call. */
export function storer(type: WitType): Store {
  switch (type.kind) {
    case 'string':
      return (access, value, ptr) => {
        expect(typeof value === 'string', value, 'a string');
        // Encoded straight into the space the guest allocated, as jco's bindings do: encoding to a
        // new array and copying it was a sixth of a get-config's time in the worker.
        const length = utf8Length(value as string);
        const target = access.alloc(1, length);
        encoder.encodeInto(value as string, access.bytes('string', target, length));
        pointerAndLength(access, ptr, target, length);
      };
    case 'list': {
      const element = storer(type.element);
      const { size, align } = layout(type.element);
      return (access, value, ptr) => {
        expect(Array.isArray(value), value, 'a list');
        const items = value as unknown[];
        const target = access.alloc(align, items.length * size);
        items.forEach((item, i) => element(access, item, target + i * size));
        pointerAndLength(access, ptr, target, items.length);
      };
    }
    case 'tuple': {
      const fields = fieldsStorer(type.items);
      return (access, value, ptr) => {
        expect(Array.isArray(value), value, 'a tuple');
        fields(access, value as unknown[], ptr);
      };
    }
    case 'record': {
      const names = type.fields.map((f) => camelCase(f.name));
      const fields = fieldsStorer(type.fields.map((f) => f.type));
      return (access, value, ptr) => {
        expect(typeof value === 'object' && value !== null, value, `a ${type.name ?? 'record'}`);
        const record = value as Record<string, unknown>;
        fields(
          access,
          names.map((name) => record[name]),
          ptr,
        );
      };
    }
    case 'option': {
      const some = storer(type.inner);
      const { payload } = casesLayout([undefined, type.inner]);
      return (access, value, ptr) => {
        const present = value !== undefined && value !== null;
        access.view('result pointer', ptr, 1).setUint8(ptr, present ? 1 : 0);
        if (present) some(access, value, ptr + payload);
      };
    }
    case 'result': {
      const ok = type.ok && storer(type.ok);
      const err = type.err && storer(type.err);
      const { payload } = casesLayout([type.ok, type.err]);
      return (access, value, ptr) => {
        const result = value as { tag?: unknown; val?: unknown } | null;
        expect(result?.tag === 'ok' || result?.tag === 'err', value, 'a result');
        const isOk = result!.tag === 'ok';
        access.view('result pointer', ptr, 1).setUint8(ptr, isOk ? 0 : 1);
        (isOk ? ok : err)?.(access, result!.val, ptr + payload);
      };
    }
    default:
      return numberStorer(type);
  }
}

function fieldsStorer(types: WitType[]): (access: MemoryAccess, values: unknown[], ptr: number) => void {
  const { offsets } = fieldsLayout(types);
  const stores = types.map(storer);
  return (access, values, ptr) => stores.forEach((store, i) => store(access, values[i], ptr + offsets[i]!));
}

const RANGES: Partial<Record<WitType['kind'], [number, number]>> = {
  u8: [0, 0xff],
  s8: [-0x80, 0x7f],
  u16: [0, 0xffff],
  s16: [-0x8000, 0x7fff],
  u32: [0, 0xffffffff],
  s32: [-0x80000000, 0x7fffffff],
};

function numberStorer(type: WitType): Store {
  const { kind } = type;
  const { size } = layout(type);
  if (kind === 'u64' || kind === 's64') {
    return (access, value, ptr) => {
      expect(typeof value === 'bigint' || Number.isInteger(value), value, `a ${kind}`);
      const n = BigInt(value as bigint | number);
      const view = access.view('result pointer', ptr, size);
      if (kind === 'u64') view.setBigUint64(ptr, BigInt.asUintN(64, n), true);
      else view.setBigInt64(ptr, BigInt.asIntN(64, n), true);
    };
  }
  if (kind === 'f64') {
    return (access, value, ptr) => {
      expect(typeof value === 'number', value, 'an f64');
      access.view('result pointer', ptr, size).setFloat64(ptr, value as number, true);
    };
  }
  if (kind === 'bool') return (access, value, ptr) => access.view('result pointer', ptr, 1).setUint8(ptr, value ? 1 : 0);
  const [min, max] = RANGES[kind] ?? unsupported(type, 'storing');
  const set = { 1: DataView.prototype.setUint8, 2: DataView.prototype.setUint16, 4: DataView.prototype.setUint32 }[size]!;
  return (access, value, ptr) => {
    expect(typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max, value, `a ${kind}`);
    // DataView's unsigned setters store a negative number as its two's-complement bits.
    set.call(access.view('result pointer', ptr, size), ptr, value as number, true);
  };
}
