// WIT values as the Explore view types them, checked against their WIT type before any call.
// The JSON shape, per type:
//   bool, integers, floats, char, string   as JSON (64-bit integers: numbers, or strings for
//                                         values past 2^53; floats also "NaN", "Infinity")
//   list<T>, tuple<…>                       arrays
//   option<T>                               null for none, else the value (an option inside an
//                                         option is {"tag": "some", "val": …} / {"tag": "none"})
//   result<T, E>                            {"tag": "ok", "val": …} / {"tag": "err", "val": …}
//   record                                  an object with the WIT field names
//   variant                                 {"tag": "<case>", "val": …}
//   enum                                    the case name
//   flags                                   an array of the flag names that are set
//   own<R>, borrow<R>                       {"resource": "R", "handle": n}, as a call returned it
// Checked values use bigint for 64-bit integers; everything else is plain JSON data.
import { isNestedOption, witText, type IntegerKind, type WitType } from './model.ts';

export type Checked = { ok: true; value: unknown } | { ok: false; error: string };

const RANGES: Record<IntegerKind, [bigint, bigint]> = {
  u8: [0n, 255n],
  u16: [0n, 65535n],
  u32: [0n, 4294967295n],
  u64: [0n, 18446744073709551615n],
  s8: [-128n, 127n],
  s16: [-32768n, 32767n],
  s32: [-2147483648n, 2147483647n],
  s64: [-9223372036854775808n, 9223372036854775807n],
};

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function shown(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (typeof value === 'bigint') return value.toString();
  const text = formatValue(value);
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}

/** What a value of `type` must look like, in words: the second half of every refusal. */
export function expectation(type: WitType): string {
  switch (type.kind) {
    case 'u8':
    case 'u16':
    case 'u32':
    case 'u64':
    case 's8':
    case 's16':
    case 's32':
    case 's64': {
      const [min, max] = RANGES[type.kind];
      return `${type.kind} (an integer from ${min} to ${max})`;
    }
    case 'f32':
    case 'f64':
      return `${type.kind} (a number)`;
    case 'char':
      return 'char (exactly one character)';
    case 'bool':
      return 'bool (true or false)';
    case 'string':
      return 'string';
    case 'enum':
      return `${witText(type)} (one of ${type.cases.map((c) => JSON.stringify(c)).join(', ')})`;
    case 'flags':
      return `${witText(type)} (an array of flag names from ${type.flags.map((c) => JSON.stringify(c)).join(', ')})`;
    case 'list':
      return `${witText(type)} (an array${type.length === undefined ? '' : ` of ${type.length} items`})`;
    case 'tuple':
      return `${witText(type)} (an array of ${type.items.length} items)`;
    case 'option':
      return `${witText(type)} (null for none, or the value)`;
    case 'result':
      return `${witText(type)} ({"tag": "ok"${type.ok ? ', "val": …' : ''}} or {"tag": "err"${type.err ? ', "val": …' : ''}})`;
    case 'record':
      return `${witText(type)} (an object with ${type.fields.map((f) => JSON.stringify(f.name)).join(', ')})`;
    case 'variant':
      return `${witText(type)} ({"tag": one of ${type.cases.map((c) => JSON.stringify(c.name)).join(', ')}, "val": …})`;
    case 'own':
    case 'borrow':
      return `${witText(type)} ({"resource": "${type.resource}", "handle": n} from an earlier call)`;
    case 'unsupported':
      return `${type.text}, which the playground cannot pass yet`;
  }
}

function integer(kind: IntegerKind, v: unknown): bigint | undefined {
  let big: bigint | undefined;
  if (typeof v === 'bigint') big = v;
  else if (typeof v === 'number' && Number.isSafeInteger(v)) big = BigInt(v);
  else if (typeof v === 'string' && /^[+-]?\d+$/.test(v.trim()) && (kind === 'u64' || kind === 's64')) big = BigInt(v.trim());
  if (big === undefined) return undefined;
  const [min, max] = RANGES[kind];
  return big >= min && big <= max ? big : undefined;
}

/** Checks a JSON-parsed value against `type`; `path` names the field in the message. */
export function checkValue(type: WitType, v: unknown, path: string): Checked {
  const refuse = (why = ''): Checked => ({ ok: false, error: `${path}: expected ${expectation(type)}, got ${shown(v)}${why}` });
  const all = (items: Array<[WitType, unknown, string]>, build: (values: unknown[]) => unknown): Checked => {
    const values: unknown[] = [];
    for (const [t, item, at] of items) {
      const checked = checkValue(t, item, at);
      if (!checked.ok) return checked;
      values.push(checked.value);
    }
    return { ok: true, value: build(values) };
  };
  switch (type.kind) {
    case 'bool':
      return typeof v === 'boolean' ? { ok: true, value: v } : refuse();
    case 'u8':
    case 'u16':
    case 'u32':
    case 's8':
    case 's16':
    case 's32':
    case 'u64':
    case 's64': {
      const big = integer(type.kind, v);
      if (big === undefined) {
        const unsafe = typeof v === 'number' && Number.isInteger(v) && !Number.isSafeInteger(v);
        return refuse(unsafe ? ' (past 2^53 a JSON number loses digits: write it as a string)' : '');
      }
      return { ok: true, value: type.kind === 'u64' || type.kind === 's64' ? big : Number(big) };
    }
    case 'f32':
    case 'f64': {
      if (typeof v === 'number') return { ok: true, value: v };
      if (v === 'NaN' || v === 'Infinity' || v === '-Infinity') return { ok: true, value: Number(v) };
      return refuse();
    }
    case 'char':
      return typeof v === 'string' && [...v].length === 1 ? { ok: true, value: v } : refuse();
    case 'string':
      return typeof v === 'string' ? { ok: true, value: v } : refuse();
    case 'enum':
      return typeof v === 'string' && type.cases.includes(v) ? { ok: true, value: v } : refuse();
    case 'flags': {
      if (!Array.isArray(v)) return refuse();
      const unknown = v.find((flag) => typeof flag !== 'string' || !type.flags.includes(flag));
      if (unknown !== undefined) return refuse(` (${shown(unknown)} is not one of its flags)`);
      return { ok: true, value: type.flags.filter((flag) => v.includes(flag)) };
    }
    case 'list':
      if (!Array.isArray(v) || (type.length !== undefined && v.length !== type.length)) return refuse();
      return all(
        v.map((item, i) => [type.element, item, `${path}[${i}]`]),
        (values) => values,
      );
    case 'tuple':
      if (!Array.isArray(v) || v.length !== type.items.length) return refuse();
      return all(
        type.items.map((t, i) => [t, v[i], `${path}[${i}]`]),
        (values) => values,
      );
    case 'option':
      if (v === null) return { ok: true, value: null };
      if (!isNestedOption(type)) return checkValue(type.inner, v, path);
      if (isObject(v) && v.tag === 'none') return { ok: true, value: { tag: 'none' } };
      if (isObject(v) && v.tag === 'some') return all([[(type.inner as { inner: WitType }).inner, v.val, `${path}.val`]], ([val]) => ({ tag: 'some', val }));
      return refuse(' (an option inside an option is {"tag": "some", "val": …} or {"tag": "none"})');
    case 'result': {
      if (!isObject(v) || (v.tag !== 'ok' && v.tag !== 'err')) return refuse();
      const payload = v.tag === 'ok' ? type.ok : type.err;
      if (!payload) return 'val' in v && v.val !== null ? refuse(` (${v.tag} carries no value here)`) : { ok: true, value: { tag: v.tag } };
      return all([[payload, v.val, `${path}.val`]], ([val]) => ({ tag: v.tag, val }));
    }
    case 'record': {
      if (!isObject(v)) return refuse();
      const extra = Object.keys(v).find((key) => !type.fields.some((f) => f.name === key));
      if (extra) return refuse(` (it has no field "${extra}")`);
      const missing = type.fields.find((f) => !(f.name in v) && f.type.kind !== 'option');
      if (missing) return refuse(` (field "${missing.name}" is missing)`);
      return all(
        type.fields.map((f) => [f.type, f.name in v ? v[f.name] : null, `${path}.${f.name}`]),
        (values) => Object.fromEntries(type.fields.map((f, i) => [f.name, values[i]])),
      );
    }
    case 'variant': {
      if (!isObject(v)) return refuse();
      const which = type.cases.find((c) => c.name === v.tag);
      if (!which) return refuse();
      if (!which.type) return 'val' in v && v.val !== null ? refuse(` (case "${which.name}" carries no value)`) : { ok: true, value: { tag: which.name } };
      return all([[which.type, v.val, `${path}.val`]], ([val]) => ({ tag: which.name, val }));
    }
    case 'own':
    case 'borrow': {
      const handle = isObject(v) ? v.handle : undefined;
      const ok = isObject(v) && (v.resource === undefined || v.resource === type.resource) && typeof handle === 'number' && Number.isInteger(handle);
      return ok ? { ok: true, value: { resource: type.resource, handle } } : refuse();
    }
    case 'unsupported':
      return { ok: false, error: `${path}: its type is ${type.text}, which the playground cannot pass yet` };
  }
}

/** The value a stub returns until the user sets one: false, 0, "", [], none, the first case…; undefined where none exists (see hasZero). */
export function zeroValue(type: WitType): unknown {
  switch (type.kind) {
    case 'bool':
      return false;
    case 'u64':
    case 's64':
      return 0n;
    case 'char':
      return '\0';
    case 'string':
      return '';
    case 'list':
      return type.length ? Array.from({ length: type.length }, () => zeroValue(type.element)) : [];
    case 'tuple':
      return type.items.map(zeroValue);
    case 'option':
      return null;
    case 'result':
      if (!type.ok) return { tag: 'ok' };
      if (hasZero(type.ok)) return { tag: 'ok', val: zeroValue(type.ok) };
      return type.err ? { tag: 'err', val: zeroValue(type.err) } : { tag: 'err' };
    case 'record':
      return Object.fromEntries(type.fields.map((f) => [f.name, zeroValue(f.type)]));
    case 'variant': {
      const first = type.cases.find((c) => !c.type || hasZero(c.type)) ?? type.cases[0]!;
      return first.type ? { tag: first.name, val: zeroValue(first.type) } : { tag: first.name };
    }
    case 'enum':
      return type.cases[0];
    case 'flags':
      return [];
    case 'own':
    case 'borrow':
    case 'unsupported':
      // No resource exists to hand out: the stub says so when it is called (see stub-imports).
      return undefined;
    default:
      return 0;
  }
}

/** False when every value of the type holds a resource (or an async type): no zero can be made. */
export function hasZero(type: WitType): boolean {
  switch (type.kind) {
    case 'own':
    case 'borrow':
    case 'unsupported':
      return false;
    case 'list':
      return !type.length || hasZero(type.element);
    case 'tuple':
      return type.items.every(hasZero);
    case 'result':
      return !type.ok || hasZero(type.ok) || !type.err || hasZero(type.err);
    case 'record':
      return type.fields.every((f) => hasZero(f.type));
    case 'variant':
      return type.cases.some((c) => !c.type || hasZero(c.type));
    default:
      return true;
  }
}

/** JSON text that keeps 64-bit integers exact and names non-finite floats. */
export function formatValue(value: unknown, space?: number): string {
  const text = JSON.stringify(
    value,
    (_key, v: unknown) => {
      if (typeof v === 'bigint') return `\u0000big:${v}`;
      if (typeof v === 'number' && !Number.isFinite(v)) return String(v);
      return v;
    },
    space,
  );
  return (text ?? 'null').replace(/"\\u0000big:(-?\d+)"/g, '$1');
}

/** JSON.parse, keeping integers past 2^53 exact where the engine gives the source text (Chromium does). */
export function parseJson(text: string): unknown {
  const revive = (_key: string, v: unknown, context?: { source?: string }) => {
    if (typeof v === 'number' && !Number.isSafeInteger(v) && context?.source && /^-?\d+$/.test(context.source)) return BigInt(context.source);
    return v;
  };
  return JSON.parse(text, revive as (key: string, value: unknown) => unknown);
}
