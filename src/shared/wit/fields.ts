// One form field per WIT parameter: scalars are typed as they are (a string is its text, not a
// JSON string), compound values as JSON. Reading a field checks it against the type.
import { witText, type WitType } from './model.ts';
import { checkValue, formatValue, parseJson, zeroValue, type Checked } from './values.ts';

export type FieldInput = 'checkbox' | 'text' | 'json';

export function fieldInput(type: WitType): FieldInput {
  switch (type.kind) {
    case 'bool':
      return 'checkbox';
    case 'u8':
    case 'u16':
    case 'u32':
    case 'u64':
    case 's8':
    case 's16':
    case 's32':
    case 's64':
    case 'f32':
    case 'f64':
    case 'char':
    case 'string':
    case 'enum':
      return 'text';
    default:
      return 'json';
  }
}

/** What the field starts with: the type's zero value, as the user would type it. */
export function initialText(type: WitType): string {
  const zero = zeroValue(type);
  if (fieldInput(type) !== 'json') return type.kind === 'char' ? 'a' : typeof zero === 'string' ? zero : String(zero ?? '');
  return formatValue(zero ?? { resource: (type as { resource?: string }).resource ?? '', handle: 0 });
}

/** The expected shape shown beside a JSON field: the WIT type and an example value. */
export function shapeHint(type: WitType): string {
  const zero = zeroValue(type);
  const example = zero === undefined ? '' : ` e.g. ${formatValue(zero)}`;
  return type.name ? `${type.name} = ${witText(type, false)}${example}` : `${witText(type)}${example}`;
}

/** Reads one field: a checkbox's state, or its text. `label` names it in the refusal. */
export function readField(type: WitType, raw: string | boolean, label: string): Checked {
  if (typeof raw === 'boolean') return checkValue(type, raw, label);
  switch (type.kind) {
    case 'string':
    case 'char':
    case 'enum':
      return checkValue(type, raw, label);
    case 'u8':
    case 'u16':
    case 'u32':
    case 'u64':
    case 's8':
    case 's16':
    case 's32':
    case 's64': {
      const text = raw.trim();
      if (!/^[+-]?\d+$/.test(text)) return { ok: false, error: `${label}: expected ${type.kind} (an integer), got ${JSON.stringify(raw)}` };
      return checkValue(type, BigInt(text), label);
    }
    case 'f32':
    case 'f64': {
      const text = raw.trim();
      const value = ['NaN', 'Infinity', '-Infinity'].includes(text) ? Number(text) : text === '' ? NaN : Number(text);
      if (Number.isNaN(value) && text !== 'NaN') return { ok: false, error: `${label}: expected ${type.kind} (a number), got ${JSON.stringify(raw)}` };
      return checkValue(type, value, label);
    }
    default:
      return readJson(type, raw, label);
  }
}

/** Reads a value typed as JSON whatever its type (a stub's value): a string is `"text"`. */
export function readJson(type: WitType, text: string, label: string): Checked {
  let parsed: unknown;
  try {
    parsed = parseJson(text);
  } catch (e) {
    return { ok: false, error: `${label}: not valid JSON (${e instanceof Error ? e.message : String(e)}); expected ${witText(type)}` };
  }
  return checkValue(type, parsed, label);
}
