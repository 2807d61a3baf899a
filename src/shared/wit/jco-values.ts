// Checked WIT values (values.ts) to and from the JS values jco's bindings take and give:
// record fields and flags in lowerCamelCase, flags as an object of booleans, none as
// undefined, lists of numbers possibly as typed arrays, resources as objects.
import { isNestedOption, type WitType } from './model.ts';

/** Resources cross as handles: the worker keeps the objects, the page sees numbers. */
export interface Handles {
  toJs(resource: string, handle: number): unknown;
  fromJs(resource: string, object: unknown): number;
}

/** `list-in-record1` -> `listInRecord1`, as jco names record fields, flags and functions. */
export function camelCase(name: string): string {
  return name.replace(/-([a-zA-Z0-9])/g, (_, c: string) => c.toUpperCase());
}

/** `output-stream` -> `OutputStream`, as jco names resource classes. */
export function pascalCase(name: string): string {
  const camel = camelCase(name);
  return camel.charAt(0).toUpperCase() + camel.slice(1);
}

const asObject = (v: unknown) => (v ?? {}) as Record<string, unknown>;

export function toJco(type: WitType, v: unknown, handles: Handles): unknown {
  switch (type.kind) {
    case 'list':
    case 'tuple': {
      const items = v as unknown[];
      return items.map((item, i) => toJco(type.kind === 'list' ? type.element : type.items[i]!, item, handles));
    }
    case 'option': {
      if (v === null || v === undefined) return undefined;
      if (!isNestedOption(type)) return toJco(type.inner, v, handles);
      const inner = asObject(v);
      return inner.tag === 'none' ? { tag: 'none' } : { tag: 'some', val: toJco((type.inner as { inner: WitType }).inner, inner.val, handles) };
    }
    case 'result': {
      const { tag, val } = asObject(v);
      const payload = tag === 'ok' ? type.ok : type.err;
      return { tag, val: payload ? toJco(payload, val, handles) : undefined };
    }
    case 'record': {
      const record = asObject(v);
      return Object.fromEntries(type.fields.map((f) => [camelCase(f.name), toJco(f.type, record[f.name], handles)]));
    }
    case 'variant': {
      const { tag, val } = asObject(v);
      const which = type.cases.find((c) => c.name === tag);
      return which?.type ? { tag, val: toJco(which.type, val, handles) } : { tag };
    }
    case 'flags': {
      const set = v as string[];
      return Object.fromEntries(type.flags.map((flag) => [camelCase(flag), set.includes(flag)]));
    }
    case 'own':
    case 'borrow':
      return handles.toJs(type.resource, asObject(v).handle as number);
    default:
      return v;
  }
}

export function fromJco(type: WitType, v: unknown, handles: Handles): unknown {
  switch (type.kind) {
    case 'u8':
    case 'u16':
    case 'u32':
    case 's8':
    case 's16':
    case 's32':
      return Number(v);
    case 'u64':
    case 's64':
      return typeof v === 'bigint' ? v : BigInt(v as number);
    case 'list':
      return Array.from(v as ArrayLike<unknown>, (item) => fromJco(type.element, item, handles));
    case 'tuple':
      return type.items.map((t, i) => fromJco(t, (v as unknown[])[i], handles));
    case 'option': {
      if (v === null || v === undefined) return null;
      if (!isNestedOption(type)) return fromJco(type.inner, v, handles);
      const inner = asObject(v);
      return inner.tag === 'none' ? { tag: 'none' } : { tag: 'some', val: fromJco((type.inner as { inner: WitType }).inner, inner.val, handles) };
    }
    case 'result': {
      const { tag, val } = asObject(v);
      const payload = tag === 'ok' ? type.ok : type.err;
      return payload ? { tag, val: fromJco(payload, val, handles) } : { tag };
    }
    case 'record': {
      const record = asObject(v);
      return Object.fromEntries(type.fields.map((f) => [f.name, fromJco(f.type, record[camelCase(f.name)], handles)]));
    }
    case 'variant': {
      const { tag, val } = asObject(v);
      const which = type.cases.find((c) => c.name === tag);
      return which?.type ? { tag, val: fromJco(which.type, val, handles) } : { tag };
    }
    case 'flags': {
      const set = asObject(v);
      return type.flags.filter((flag) => Boolean(set[camelCase(flag)]));
    }
    case 'own':
    case 'borrow':
      return { resource: type.resource, handle: handles.fromJs(type.resource, v) };
    default:
      return v;
  }
}
