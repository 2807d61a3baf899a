// Reading typed values out of a parsed plugin.toml, and collecting what is wrong with them.
// Every message names the field, the rule and the bad value; the line comes from the text.
import type { LineIndex } from './manifest-lines.ts';
import type { ManifestIssue } from './manifest-types.ts';

export type Table = Record<string, unknown>;

export class Issues {
  readonly list: ManifestIssue[] = [];
  constructor(private readonly lines: LineIndex) {}

  error(field: string, rule: string, message: string, value?: unknown): void {
    this.add('error', field, rule, message, value);
  }

  warn(field: string, rule: string, message: string, value?: unknown): void {
    this.add('warning', field, rule, message, value);
  }

  private add(severity: ManifestIssue['severity'], field: string, rule: string, message: string, value: unknown): void {
    const line = this.lines.find(field, value);
    this.list.push({ field, rule, message, severity, ...(line === undefined ? {} : { line }) });
  }
}

export function readTable(root: Table, key: string, issues: Issues): Table {
  const value = root[key];
  if (value === undefined) return {};
  if (isTable(value)) return value;
  issues.error(key, 'type', typeMessage(key, 'a table', value));
  return {};
}

export function readString(table: Table, field: string, issues: Issues, required: boolean, condition = ''): string | undefined {
  const value = table[leaf(field)];
  if (value === undefined && required) issues.error(field, 'required', `${field} is required${condition} but is missing.`);
  if (value === undefined || typeof value === 'string') return value;
  issues.error(field, 'type', typeMessage(field, 'a string', value));
  return undefined;
}

export function readBoolean(table: Table, field: string, issues: Issues): boolean | undefined {
  const value = table[leaf(field)];
  if (value === undefined || typeof value === 'boolean') return value;
  issues.error(field, 'type', typeMessage(field, 'a boolean (true or false)', value));
  return undefined;
}

export function readStrings(table: Table, field: string, issues: Issues): Array<{ field: string; value: string }> {
  const value = table[leaf(field)];
  if (value === undefined) return [];
  if (!Array.isArray(value)) {
    issues.error(field, 'type', typeMessage(field, 'an array of strings', value));
    return [];
  }
  return value.flatMap((item: unknown, i) => {
    const itemField = `${field}[${i}]`;
    if (typeof item === 'string') return [{ field: itemField, value: item }];
    issues.error(itemField, 'type', typeMessage(itemField, 'a string', item));
    return [];
  });
}

function typeMessage(field: string, expected: string, value: unknown): string {
  return `${field} must be ${expected}, but is ${quote(value)} (${kindOf(value)}).`;
}

function kindOf(value: unknown): string {
  if (Array.isArray(value)) return 'an array';
  if (value instanceof Date) return 'a date';
  if (typeof value === 'bigint') return 'an integer';
  return isTable(value) ? 'a table' : `a ${typeof value}`;
}

/** The bad value for a message: JSON-quoted, long strings cut so a marker stays readable. */
export function quote(value: unknown): string {
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  if (typeof value !== 'string') return JSON.stringify(value) ?? String(value);
  const chars = [...value];
  return chars.length <= 80 ? JSON.stringify(value) : `${JSON.stringify(chars.slice(0, 60).join(''))}… (${chars.length} characters)`;
}

export function isTable(value: unknown): value is Table {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

function leaf(field: string): string {
  return field.slice(field.lastIndexOf('.') + 1);
}
