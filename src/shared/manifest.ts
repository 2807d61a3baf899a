// plugin.toml: parse (smol-toml), validate against SoundTime's rules, normalise into a fully
// defaulted Manifest. Storage and UI only ever see the normalised form.
import { parse, TomlError } from 'smol-toml';
import semverGt from 'semver/functions/gt';
import semverValid from 'semver/functions/valid';
import { EVENT_NAMES, isEventName, type EventName } from './events.ts';
import { checkHostPattern } from './host-pattern.ts';

export const UI_SLOTS = ['track-detail-sidebar', 'player-extra-controls', 'library-toolbar', 'settings-panel'] as const;
export type UiSlot = (typeof UI_SLOTS)[number];

export interface Manifest {
  plugin: {
    name: string;
    version: string;
    description: string;
    author?: string;
    license?: string;
    homepage?: string;
    minPlaygroundVersion?: string;
  };
  build: { wasm: string };
  permissions: { httpHosts: string[]; events: EventName[]; writeTracks: boolean; configAccess: boolean; readUsers: boolean };
  ui: { enabled: false } | { enabled: true; slot: UiSlot; entry: string };
}

export interface ManifestIssue {
  /** Dotted TOML path, e.g. "plugin.name" or "permissions.events[1]"; "toml" for syntax errors. */
  field: string;
  /** Short rule id, e.g. "pattern". */
  rule: string;
  message: string;
  /** 1-based line in the TOML text, when it can be found. */
  line?: number;
  /** 1-based column; only syntax errors know it. */
  column?: number;
  severity: 'error' | 'warning';
}

export type ManifestResult = { ok: true; manifest: Manifest; warnings: ManifestIssue[] } | { ok: false; errors: ManifestIssue[]; warnings: ManifestIssue[] };

type Table = Record<string, unknown>;

const NAME_PATTERN = /^[a-z][a-z0-9-]{1,63}$/;
// semver.valid() also accepts "v1.0.0", "=1.0.0" and surrounding spaces; SoundTime wants x.y.z.
const PLAIN_VERSION = /^\d+\.\d+\.\d+(?:[-+]\S*)?$/;
const SPDX_ID = /^(?:DocumentRef-[A-Za-z0-9.-]+:)?(?:LicenseRef-)?[A-Za-z0-9][A-Za-z0-9.-]*\+?$/;
const OPERATORS = ['AND', 'OR', 'WITH'];

// A Map, not an object literal: keys like "constructor" must not hit Object.prototype.
const KNOWN_KEYS = new Map<string, readonly string[]>([
  ['plugin', ['name', 'version', 'description', 'author', 'license', 'homepage', 'min_playground_version', 'min_soundtime_version']],
  ['build', ['wasm']],
  ['permissions', ['http_hosts', 'events', 'write_tracks', 'config_access', 'read_users']],
  ['ui', ['enabled', 'slot', 'entry']],
]);

export function parseManifest(text: string, options: { appVersion?: string } = {}): ManifestResult {
  let root: Table;
  try {
    root = parse(text);
  } catch (error) {
    return { ok: false, errors: [syntaxIssue(error)], warnings: [] };
  }
  const issues = new Issues(new LineIndex(text));
  const manifest: Manifest = {
    plugin: checkPlugin(readTable(root, 'plugin', issues), issues, options.appVersion),
    build: { wasm: readFile(readTable(root, 'build', issues), 'build.wasm', '.wasm', issues) ?? '' },
    permissions: checkPermissions(readTable(root, 'permissions', issues), issues),
    ui: checkUi(readTable(root, 'ui', issues), issues),
  };
  warnUnknownKeys(root, issues);
  const errors = issues.list.filter((issue) => issue.severity === 'error');
  const warnings = issues.list.filter((issue) => issue.severity === 'warning');
  return errors.length > 0 ? { ok: false, errors, warnings } : { ok: true, manifest, warnings };
}

function syntaxIssue(error: unknown): ManifestIssue {
  const raw = error instanceof Error ? error.message : String(error);
  // smol-toml appends a code excerpt after the first line; the editor marker shows the place.
  const reason = (raw.split('\n')[0] ?? '').replace(/^Invalid TOML document:\s*/, '').replace(/\.?$/, '.');
  if (!(error instanceof TomlError)) {
    return { field: 'toml', rule: 'syntax', severity: 'error', message: `plugin.toml is not valid TOML: ${reason}` };
  }
  const { line, column } = error;
  const message = `plugin.toml is not valid TOML at line ${line}, column ${column}: ${reason}`;
  return { field: 'toml', rule: 'syntax', severity: 'error', message, line, column };
}

class Issues {
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

/** Where each table header and key starts in the TOML text, to place editor markers. */
class LineIndex {
  private readonly starts = new Map<string, number>();
  private readonly lines: string[];

  constructor(text: string) {
    this.lines = text.split(/\r?\n/);
    let table = '';
    let inMultilineString = false;
    this.lines.forEach((line, i) => {
      const skip = inMultilineString;
      if ((line.match(/"""|'''/g) ?? []).length % 2 === 1) inMultilineString = !inMultilineString;
      if (skip) return;
      const header = /^\s*\[\[?\s*([^\]]+?)\s*\]/.exec(line);
      const key = /^\s*((?:[\w-]+|"[^"]*"|'[^']*')(?:\s*\.\s*(?:[\w-]+|"[^"]*"|'[^']*'))*)\s*=/.exec(line);
      if (header) table = keyPath(header[1] ?? '');
      const path = header ? table : key ? [table, keyPath(key[1] ?? '')].filter(Boolean).join('.') : '';
      if (path) this.record(path, i + 1);
    });
  }

  /** The line of `field` (or of the quoted `value` inside it), else of its nearest parent. */
  find(field: string, value: unknown): number | undefined {
    let path = field.replace(/\[\d+\]$/, '');
    const start = this.starts.get(path);
    if (start !== undefined && typeof value === 'string') {
      const found = this.findValue(start, value);
      if (found !== undefined) return found;
    }
    for (; path !== ''; path = path.slice(0, Math.max(path.lastIndexOf('.'), 0))) {
      const line = this.starts.get(path);
      if (line !== undefined) return line;
    }
    return undefined;
  }

  private record(path: string, line: number): void {
    const parts = path.split('.');
    for (let n = 1; n <= parts.length; n++) {
      const prefix = parts.slice(0, n).join('.');
      if (!this.starts.has(prefix)) this.starts.set(prefix, line);
    }
  }

  private findValue(start: number, value: string): number | undefined {
    const end = Math.min(...[...this.starts.values()].filter((line) => line > start), this.lines.length + 1);
    const needles = [JSON.stringify(value), `'${value}'`];
    for (let line = start; line < end; line++) {
      if (needles.some((needle) => this.lines[line - 1]?.includes(needle))) return line;
    }
    return undefined;
  }
}

function keyPath(raw: string): string {
  return raw
    .split('.')
    .map((part) => part.trim().replace(/^["']|["']$/g, ''))
    .join('.');
}

function checkPlugin(table: Table, issues: Issues, appVersion: string | undefined): Manifest['plugin'] {
  const name = readString(table, 'plugin.name', issues, true);
  if (name !== undefined && !NAME_PATTERN.test(name)) {
    const rule = '(lowercase letters, digits and dashes, starting with a letter, 2-64 characters)';
    issues.error('plugin.name', 'pattern', `plugin.name ${quote(name)} must match ${NAME_PATTERN.source} ${rule}.`);
  }
  const version = readString(table, 'plugin.version', issues, true);
  if (version !== undefined) checkVersion('plugin.version', version, issues);
  const description = readString(table, 'plugin.description', issues, true);
  if (description !== undefined) checkLength('plugin.description', description, 1, 500, issues);
  const author = readString(table, 'plugin.author', issues, false);
  if (author !== undefined) checkLength('plugin.author', author, 1, 255, issues);
  const license = readString(table, 'plugin.license', issues, false);
  if (license !== undefined && !isSpdxExpression(license)) {
    const examples = '"MIT", "Apache-2.0" or "MIT OR Apache-2.0"';
    issues.error('plugin.license', 'spdx', `plugin.license ${quote(license)} must be an SPDX license expression, such as ${examples}.`);
  }
  const homepage = readString(table, 'plugin.homepage', issues, false);
  if (homepage !== undefined && !isHttpUrl(homepage)) {
    issues.error('plugin.homepage', 'url', `plugin.homepage ${quote(homepage)} must be an http:// or https:// URL.`);
  }
  const minPlaygroundVersion = readMinVersion(table, issues, appVersion);
  const optional = defined({ author, license, homepage, minPlaygroundVersion });
  return { name: name ?? '', version: version ?? '', description: description ?? '', ...optional };
}

function readMinVersion(table: Table, issues: Issues, appVersion: string | undefined): string | undefined {
  const alias = 'plugin.min_soundtime_version';
  let field = 'plugin.min_playground_version';
  if (table['min_soundtime_version'] !== undefined) {
    const both = table['min_playground_version'] !== undefined;
    if (!both) field = alias;
    issues.warn(
      alias,
      'alias',
      both
        ? `${alias} is ignored because plugin.min_playground_version is also set.`
        : `${alias} is SoundTime's name for plugin.min_playground_version; it is accepted, but rename it to min_playground_version.`,
    );
  }
  const min = readString(table, field, issues, false);
  if (min === undefined || !checkVersion(field, min, issues)) return min;
  if (appVersion !== undefined && semverValid(appVersion) !== null && semverGt(min, appVersion)) {
    const message = `${field} ${quote(min)} requires playground version ${min} or later, but this playground is version ${appVersion}.`;
    issues.error(field, 'min-version', message);
  }
  return min;
}

function checkVersion(field: string, version: string, issues: Issues): boolean {
  const ok = isPlainSemver(version);
  if (!ok) {
    issues.error(field, 'semver', `${field} ${quote(version)} must be a semantic version x.y.z, such as "1.0.0" or "1.0.0-beta.1".`);
  }
  return ok;
}

export function isPlainSemver(version: string): boolean {
  return PLAIN_VERSION.test(version) && semverValid(version) !== null;
}

function checkLength(field: string, text: string, min: number, max: number, issues: Issues): void {
  const length = [...text].length;
  if (length < min || length > max) {
    issues.error(field, 'length', `${field} ${quote(text)} must be ${min}-${max} characters long, but has ${length}.`);
  }
}

/** A pragmatic SPDX check: identifiers joined by AND/OR, optional WITH exception, parentheses. */
function isSpdxExpression(text: string): boolean {
  const tokens = text.replace(/[()]/g, ' $& ').trim().split(/\s+/);
  let depth = 0;
  let wantOperand = true;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i] ?? '';
    if (token === '(' && wantOperand) depth++;
    else if (token === ')' && !wantOperand) depth--;
    else if ((token === 'AND' || token === 'OR') && !wantOperand) wantOperand = true;
    else if (token === 'WITH' && !wantOperand && tokens[i - 1] !== ')') i++;
    else if (wantOperand && !OPERATORS.includes(token) && SPDX_ID.test(token)) wantOperand = false;
    else return false;
    if (depth < 0 || (token === 'WITH' && !SPDX_ID.test(tokens[i] ?? ''))) return false;
  }
  return depth === 0 && !wantOperand;
}

function isHttpUrl(text: string): boolean {
  try {
    return ['http:', 'https:'].includes(new URL(text).protocol);
  } catch {
    return false;
  }
}

/** Reads a path to a file shipped with the plugin: relative, inside it, with `extension`. */
function readFile(table: Table, field: string, extension: string, issues: Issues, condition = ''): string | undefined {
  const path = readString(table, field, issues, true, condition);
  if (path === undefined) return undefined;
  const segments = path.split('/');
  // A scheme ("https:") and a drive letter ("C:") both look like "word:" at the start.
  if (path === '' || path.startsWith('/') || path.includes('\\') || /^[a-z][a-z0-9+.-]*:/i.test(path) || segments.includes('..')) {
    const rule = 'no leading "/", no "\\", no drive letter and no ".." segment';
    issues.error(field, 'relative-path', `${field} ${quote(path)} must be a relative path inside the plugin: ${rule}.`);
  }
  if (!path.endsWith(extension)) issues.error(field, 'extension', `${field} ${quote(path)} must end in "${extension}".`);
  return path;
}

function checkPermissions(table: Table, issues: Issues): Manifest['permissions'] {
  const hosts: string[] = [];
  for (const { field, value } of readStrings(table, 'permissions.http_hosts', issues)) {
    const result = checkHostPattern(value);
    if (result.ok) addUnique(hosts, result.pattern, field, value, issues);
    else issues.error(field, result.rule, `${field} ${quote(value)} is not an allowed host: ${result.reason}.`, value);
  }
  const events: EventName[] = [];
  for (const { field, value } of readStrings(table, 'permissions.events', issues)) {
    if (isEventName(value)) addUnique(events, value, field, value, issues);
    else {
      const message = `${field} ${quote(value)} is not a known event; use one of: ${EVENT_NAMES.join(', ')}.`;
      issues.error(field, 'event-name', message, value);
    }
  }
  return {
    httpHosts: hosts,
    events,
    writeTracks: readBoolean(table, 'permissions.write_tracks', issues) ?? false,
    configAccess: readBoolean(table, 'permissions.config_access', issues) ?? false,
    readUsers: readBoolean(table, 'permissions.read_users', issues) ?? false,
  };
}

function addUnique<T extends string>(list: T[], item: T, field: string, raw: string, issues: Issues): void {
  if (!list.includes(item)) list.push(item);
  else issues.warn(field, 'duplicate', `${field} ${quote(raw)} is listed more than once; the duplicate is ignored.`, raw);
}

function checkUi(table: Table, issues: Issues): Manifest['ui'] {
  if (readBoolean(table, 'ui.enabled', issues) !== true) return { enabled: false };
  const when = ' when ui.enabled is true';
  const slot = readString(table, 'ui.slot', issues, true, when);
  const isSlot = (UI_SLOTS as readonly string[]).includes(slot ?? '');
  if (slot !== undefined && !isSlot) {
    issues.error('ui.slot', 'one-of', `ui.slot ${quote(slot)} must be one of: ${UI_SLOTS.join(', ')}.`);
  }
  const entry = readFile(table, 'ui.entry', '.html', issues, when) ?? '';
  return { enabled: true, slot: isSlot ? (slot as UiSlot) : UI_SLOTS[0], entry };
}

function warnUnknownKeys(root: Table, issues: Issues): void {
  for (const [key, value] of Object.entries(root)) {
    const known = KNOWN_KEYS.get(key);
    if (!known) {
      issues.warn(key, 'unknown-key', `${key} is not a known ${isTable(value) ? 'table' : 'key'} of plugin.toml and is ignored.`);
    } else if (isTable(value)) {
      for (const sub of Object.keys(value).filter((name) => !known.includes(name))) {
        issues.warn(`${key}.${sub}`, 'unknown-key', `${key}.${sub} is not a known key of [${key}] and is ignored.`);
      }
    }
  }
}

function readTable(root: Table, key: string, issues: Issues): Table {
  const value = root[key];
  if (value === undefined) return {};
  if (isTable(value)) return value;
  issues.error(key, 'type', typeMessage(key, 'a table', value));
  return {};
}

function readString(table: Table, field: string, issues: Issues, required: boolean, condition = ''): string | undefined {
  const value = table[leaf(field)];
  if (value === undefined && required) issues.error(field, 'required', `${field} is required${condition} but is missing.`);
  if (value === undefined || typeof value === 'string') return value;
  issues.error(field, 'type', typeMessage(field, 'a string', value));
  return undefined;
}

function readBoolean(table: Table, field: string, issues: Issues): boolean | undefined {
  const value = table[leaf(field)];
  if (value === undefined || typeof value === 'boolean') return value;
  issues.error(field, 'type', typeMessage(field, 'a boolean (true or false)', value));
  return undefined;
}

function readStrings(table: Table, field: string, issues: Issues): Array<{ field: string; value: string }> {
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
function quote(value: unknown): string {
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  if (typeof value !== 'string') return JSON.stringify(value) ?? String(value);
  const chars = [...value];
  return chars.length <= 80 ? JSON.stringify(value) : `${JSON.stringify(chars.slice(0, 60).join(''))}… (${chars.length} characters)`;
}

function isTable(value: unknown): value is Table {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

function leaf(field: string): string {
  return field.slice(field.lastIndexOf('.') + 1);
}

type Defined<T> = { [K in keyof T]?: Exclude<T[K], undefined> };

function defined<T extends Record<string, unknown>>(values: T): Defined<T> {
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined)) as Defined<T>;
}

/** What a plugin's `metadata()` export reports. */
