// plugin.toml: parse (smol-toml), validate against SoundTime's rules, normalise into a fully
// defaulted Manifest. Storage and UI only ever see the normalised form. The rules for
// [permissions] (manifest-permissions.ts), the line finder for editor markers
// (manifest-lines.ts) and the SPDX check (spdx.ts) live beside this file.
import { parse, TomlError } from 'smol-toml';
import semverGt from 'semver/functions/gt';
import semverValid from 'semver/functions/valid';
import { LineIndex } from './manifest-lines.ts';
import { checkPermissions } from './manifest-permissions.ts';
import { Issues, isTable, quote, readBoolean, readString, readTable, type Table } from './manifest-read.ts';
import { UI_SLOTS, type Manifest, type ManifestIssue, type ManifestResult, type UiSlot } from './manifest-types.ts';
import { RESERVED_PLUGIN_NAMES } from './reserved-names.ts';
import { isSpdxExpression } from './spdx.ts';

export { UI_SLOTS, type Manifest, type ManifestIssue, type ManifestResult, type UiSlot } from './manifest-types.ts';

const NAME_PATTERN = /^[a-z][a-z0-9-]{1,63}$/;
// semver.valid() also accepts "v1.0.0", "=1.0.0" and surrounding spaces; SoundTime wants x.y.z.
const PLAIN_VERSION = /^\d+\.\d+\.\d+(?:[-+]\S*)?$/;

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

function checkPlugin(table: Table, issues: Issues, appVersion: string | undefined): Manifest['plugin'] {
  const name = readString(table, 'plugin.name', issues, true);
  if (name !== undefined && !NAME_PATTERN.test(name)) {
    const rule = '(lowercase letters, digits and dashes, starting with a letter, 2-64 characters)';
    issues.error('plugin.name', 'pattern', `plugin.name ${quote(name)} must match ${NAME_PATTERN.source} ${rule}.`);
  }
  const reserved = name === undefined ? undefined : RESERVED_PLUGIN_NAMES.get(name);
  if (reserved !== undefined) {
    issues.error('plugin.name', 'reserved', `plugin.name ${quote(name)} is reserved for the playground itself (${reserved}); choose another name.`);
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

type Defined<T> = { [K in keyof T]?: Exclude<T[K], undefined> };

function defined<T extends Record<string, unknown>>(values: T): Defined<T> {
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined)) as Defined<T>;
}
