// The canonical ABI in the other direction from canon.ts: a value the worker passes into a guest
// export, lowered to the export's flat core arguments (strings allocated in the guest's memory),
// and the export's result read back from the memory it returned a pointer to. Only the types the
// guest interface passes are covered; any other says so when its lowering is built, before any
// call. https://github.com/WebAssembly/component-model/blob/main/design/mvp/CanonicalABI.md
import { camelCase } from '../shared/wit/jco-values.ts';
import type { WitType } from '../shared/wit/model.ts';
import { utf8Length } from '../shared/utf8.ts';
import { layout, type MemoryAccess } from './canon.ts';

/** The core value types a flat argument can have (floats are not in the guest interface). */
export type Flat = 'i32' | 'i64';
export type FlatValue = number | bigint;

export interface Lower {
  flat: Flat[];
  /** Appends the flat values of `value` to `out`. */
  lower(access: MemoryAccess, value: unknown, out: FlatValue[]): void;
}

const encoder = new TextEncoder();

const notCovered = (type: WitType): never => {
  throw new TypeError(`the worker's guest-export lowering does not cover ${type.name ?? type.kind}`);
};

/** The value did not fit its WIT type: the page sent something the guest interface does not take. */
function expect(ok: boolean, value: unknown, what: string): void {
  if (!ok) throw new TypeError(`the worker was given ${typeof value === 'bigint' ? `${value}n` : JSON.stringify(value)} where the WIT type needs ${what}`);
}

const I32: Lower['flat'] = ['i32'];

/** Two flat types joined for one slot of a variant's payloads. */
const join = (a: Flat, b: Flat): Flat => (a === b ? a : 'i64');

/** A case's flat value widened to the slot's joined type: an i32 in an i64 slot is zero-extended. */
const widen = (value: FlatValue, from: Flat, to: Flat): FlatValue => (from === to ? value : BigInt((value as number) >>> 0));

/**
 * A variant of `cases` (option and result are variants too): its discriminant, then the slots
 * every case's payload shares, each of the type the cases' values joined to, zero where the
 * case has fewer.
 */
function variantLower(cases: Array<{ name: string; type?: WitType }>): Lower {
  const payloads = cases.map(({ type }) => (type ? lowerer(type) : undefined));
  const slots: Flat[] = [];
  for (const payload of payloads) payload?.flat.forEach((flat, i) => (slots[i] = slots[i] === undefined ? flat : join(slots[i], flat)));
  const index = new Map(cases.map(({ name }, i) => [name, i]));
  return {
    flat: ['i32', ...slots],
    lower(access, value, out) {
      const { tag, val } = (value ?? {}) as { tag?: unknown; val?: unknown };
      const at = typeof tag === 'string' ? index.get(tag) : undefined;
      expect(at !== undefined, tag, `one of the cases ${cases.map((c) => c.name).join(', ')}`);
      out.push(at!);
      const payload = payloads[at!];
      const own: FlatValue[] = [];
      payload?.lower(access, val, own);
      slots.forEach((slot, i) => out.push(i < own.length ? widen(own[i]!, payload!.flat[i]!, slot) : slot === 'i64' ? 0n : 0));
    },
  };
}

/** The lowering of `type`, built once; throws for a type the guest interface does not pass. */
export function lowerer(type: WitType): Lower {
  switch (type.kind) {
    case 'string':
      return {
        flat: ['i32', 'i32'],
        lower(access, value, out) {
          expect(typeof value === 'string', value, 'a string');
          const length = utf8Length(value as string);
          const ptr = access.alloc(1, length);
          encoder.encodeInto(value as string, access.bytes('string', ptr, length));
          out.push(ptr, length);
        },
      };
    case 'u64':
    case 's64':
      return {
        flat: ['i64'],
        lower(_, value, out) {
          expect(typeof value === 'bigint', value, `a ${type.kind} (a bigint)`);
          out.push(type.kind === 'u64' ? BigInt.asUintN(64, value as bigint) : BigInt.asIntN(64, value as bigint));
        },
      };
    case 'u32':
    case 's32':
      return {
        flat: I32,
        lower(_, value, out) {
          expect(Number.isInteger(value), value, `a ${type.kind}`);
          out.push((value as number) | 0);
        },
      };
    case 'bool':
      return { flat: I32, lower: (_, value, out) => void out.push(value ? 1 : 0) };
    case 'record': {
      const fields = type.fields.map((field) => ({ key: camelCase(field.name), lower: lowerer(field.type) }));
      return {
        flat: fields.flatMap((field) => field.lower.flat),
        lower(access, value, out) {
          expect(typeof value === 'object' && value !== null, value, `a ${type.name ?? 'record'}`);
          for (const { key, lower } of fields) lower.lower(access, (value as Record<string, unknown>)[key], out);
        },
      };
    }
    case 'variant':
      return variantLower(type.cases);
    case 'option': {
      // jco's values: an absent option is undefined or null, a present one the value itself.
      if (type.inner.kind === 'option') notCovered(type);
      const variant = variantLower([{ name: 'none' }, { name: 'some', type: type.inner }]);
      return {
        flat: variant.flat,
        lower: (access, value, out) => variant.lower(access, value === undefined || value === null ? { tag: 'none' } : { tag: 'some', val: value }, out),
      };
    }
    default:
      return notCovered(type);
  }
}

/** Reads a `result<_, string>`-like value (each side nothing or a string) the guest stored at `ptr`. */
export function resultLoader(type: WitType): (access: MemoryAccess, ptr: number) => { tag: 'ok' | 'err'; val: unknown } {
  if (type.kind !== 'result') return notCovered(type);
  const sides = [type.ok, type.err];
  if (sides.some((side) => side !== undefined && side.kind !== 'string')) notCovered(type);
  const payloadAt = Math.max(1, ...sides.map((side) => (side ? layout(side).align : 1)));
  const { size } = layout(type);
  return (access, ptr) => {
    const view = access.view('result', ptr, size);
    const disc = view.getUint8(ptr);
    if (disc > 1) throw new RangeError(`the plugin returned a result whose case is ${disc}`);
    const side = sides[disc];
    const tag = disc === 0 ? 'ok' : 'err';
    if (!side) return { tag, val: undefined };
    return { tag, val: access.string(view.getUint32(ptr + payloadAt, true), view.getUint32(ptr + payloadAt + 4, true)) };
  };
}
