import { stringify } from 'smol-toml';
import { describe, expect, it } from 'vitest';
import { parseManifest, type Manifest, type ManifestIssue } from '../../src/shared/manifest.ts';
import { MAX_HTTP_HOSTS } from '../../src/shared/limits.ts';
import { describePermissions, draftManifest, permissionsExceed, toToml } from '../../src/shared/manifest-text.ts';

type Sections = Record<string, Record<string, unknown> | unknown>;

const BASE: Record<string, Record<string, unknown>> = {
  plugin: { name: 'lyrics-fetcher', version: '0.1.0', description: 'Fetches lyrics' },
  build: { wasm: 'plugin.wasm' },
};

/** A valid manifest with some keys replaced; `undefined` removes a key. */
function manifestWith(section: string, values: Record<string, unknown>, extra: Sections = {}): string {
  const merged = { ...BASE[section], ...values };
  const clean = Object.fromEntries(Object.entries(merged).filter(([, v]) => v !== undefined));
  return stringify({ ...BASE, [section]: clean, ...extra });
}

function errorsOf(text: string, appVersion?: string): ManifestIssue[] {
  const result = parseManifest(text, appVersion === undefined ? {} : { appVersion });
  expect(result.ok, 'expected the manifest to be rejected').toBe(false);
  return result.ok ? [] : result.errors;
}

function manifestOf(text: string, appVersion?: string): Manifest {
  const result = parseManifest(text, appVersion === undefined ? {} : { appVersion });
  if (!result.ok) expect.fail(`expected a valid manifest, got: ${result.errors.map((e) => e.message).join(' | ')}`);
  return result.manifest;
}

/** Asserts an issue for `field` with `rule` whose message names the field and the bad value. */
function expectIssue(issues: ManifestIssue[], field: string, rule: string, badValue?: string): ManifestIssue {
  const issue = issues.find((i) => i.field === field && i.rule === rule);
  expect(issue, `no ${field}/${rule} among ${JSON.stringify(issues, null, 1)}`).toBeDefined();
  expect(issue?.message).toContain(field);
  if (badValue !== undefined) expect(issue?.message).toContain(badValue);
  return issue as ManifestIssue;
}

/** How a message quotes a bad value: long values are cut to their first 60 characters. */
const q = (value: string) => ([...value].length > 80 ? `"${[...value].slice(0, 60).join('')}` : JSON.stringify(value));

describe('plugin.name', () => {
  it.each(['ab', 'a'.repeat(64), 'my-plugin-2', 'x1'])('accepts %j', (name) => {
    expect(manifestOf(manifestWith('plugin', { name })).plugin.name).toBe(name);
  });

  it.each([
    ['1 character', 'a'],
    ['65 characters', 'a'.repeat(65)],
    ['uppercase', 'My-Plugin'],
    ['a leading digit', '9lives'],
    ['an underscore', 'my_plugin'],
    ['a leading dash', '-ab'],
  ])('rejects %s', (_, name) => {
    const issue = expectIssue(errorsOf(manifestWith('plugin', { name })), 'plugin.name', 'pattern', q(name));
    expect(issue.message).toContain('^[a-z][a-z0-9-]{1,63}$');
  });

  it('refuses "ui", the name the playground gives actions from plugin panels', () => {
    const issue = expectIssue(errorsOf(manifestWith('plugin', { name: 'ui' })), 'plugin.name', 'reserved', q('ui'));
    expect(issue.message).toContain('is reserved for the playground itself');
    expect(issue.message).toContain('source_plugin "ui"');
  });
});

describe('plugin.version', () => {
  it.each(['0.1.0', '1.0.0-beta.1', '1.2.3+build.5', '10.20.30'])('accepts %j', (version) => {
    expect(manifestOf(manifestWith('plugin', { version })).plugin.version).toBe(version);
  });

  it.each(['1.0', 'v1.0.0', '=1.0.0', ' 1.0.0', '01.0.0', 'latest', '1.0.0-'])('rejects %j', (version) => {
    expectIssue(errorsOf(manifestWith('plugin', { version })), 'plugin.version', 'semver', q(version));
  });
});

describe('plugin.description', () => {
  it.each([
    ['1 character', 'x'],
    ['500 characters', 'x'.repeat(500)],
    ['500 emoji (counted as characters, not UTF-16 units)', '🎵'.repeat(500)],
  ])('accepts %s', (_, description) => {
    expect(manifestOf(manifestWith('plugin', { description })).plugin.description).toBe(description);
  });

  it('rejects an empty description', () => {
    expectIssue(errorsOf(manifestWith('plugin', { description: '' })), 'plugin.description', 'length', '""');
  });

  it('rejects 501 characters, quoting the start of the value and its length', () => {
    const issue = expectIssue(errorsOf(manifestWith('plugin', { description: 'x'.repeat(501) })), 'plugin.description', 'length', q('x'.repeat(501)));
    expect(issue.message).toContain('501');
  });
});

describe('required fields', () => {
  it.each(['name', 'version', 'description'])('plugin.%s is required', (key) => {
    expectIssue(errorsOf(manifestWith('plugin', { [key]: undefined })), `plugin.${key}`, 'required');
  });

  it('build.wasm is required', () => {
    const text = stringify({ plugin: BASE.plugin });
    expectIssue(errorsOf(text), 'build.wasm', 'required');
  });

  it('reports every violation, not just the first', () => {
    const errors = errorsOf(stringify({ plugin: { name: 'A', version: '1.0', description: '' } }));
    expect(errors.map((e) => e.field).sort()).toEqual(['build.wasm', 'plugin.description', 'plugin.name', 'plugin.version']);
  });
});

describe('optional plugin fields', () => {
  it.each([
    ['author', 'A'],
    ['author', 'a'.repeat(255)],
    ['license', 'MIT'],
    ['license', 'Apache-2.0'],
    ['license', 'GPL-3.0-or-later'],
    ['license', 'GPL-2.0+'],
    ['license', 'MIT OR Apache-2.0'],
    ['license', '(MIT AND BSD-3-Clause)'],
    ['license', 'GPL-2.0-only WITH Classpath-exception-2.0'],
    ['license', 'LicenseRef-foo'],
    ['homepage', 'https://github.com/you/repo'],
    ['homepage', 'http://localhost:8080/docs'],
  ])('accepts %s = %j', (key, value) => {
    expect(manifestOf(manifestWith('plugin', { [key]: value })).plugin).toMatchObject({ [key]: value });
  });

  it.each([
    ['plugin.author', 'length', ''],
    ['plugin.author', 'length', 'a'.repeat(256)],
    ['plugin.license', 'spdx', ''],
    ['plugin.license', 'spdx', 'MIT License'],
    ['plugin.license', 'spdx', 'MIT OR'],
    ['plugin.license', 'spdx', '(MIT'],
    ['plugin.license', 'spdx', 'AND'],
    ['plugin.license', 'spdx', 'MIT and Apache-2.0'],
    ['plugin.homepage', 'url', 'ftp://example.com'],
    ['plugin.homepage', 'url', 'javascript:alert(1)'],
    ['plugin.homepage', 'url', 'not a url'],
  ])('rejects %s = %j', (field, rule, value) => {
    const text = manifestWith('plugin', { [field.slice('plugin.'.length)]: value });
    expectIssue(errorsOf(text), field, rule, q(value));
  });

  it('leaves absent optional fields out of the normalised manifest', () => {
    expect(Object.keys(manifestOf(stringify(BASE)).plugin).sort()).toEqual(['description', 'name', 'version']);
  });
});

describe('build.wasm', () => {
  it.each(['plugin.wasm', 'target/wasm32-wasi/release/x.wasm', './x.wasm'])('accepts %j', (wasm) => {
    expect(manifestOf(manifestWith('build', { wasm })).build.wasm).toBe(wasm);
  });

  it.each([
    ['../x.wasm', 'relative-path'],
    ['a/../x.wasm', 'relative-path'],
    ['/abs.wasm', 'relative-path'],
    ['C:\\x.wasm', 'relative-path'],
    ['C:x.wasm', 'relative-path'],
    ['dir\\x.wasm', 'relative-path'],
    ['https://example.com/x.wasm', 'relative-path'],
    ['x.wat', 'extension'],
    ['x.wasm.txt', 'extension'],
  ])('rejects %j (%s)', (wasm, rule) => {
    expectIssue(errorsOf(manifestWith('build', { wasm })), 'build.wasm', rule, q(wasm));
  });
});

describe('permissions.http_hosts', () => {
  it.each([
    ['*', '*'],
    ['*.example.com', '*.example.com'],
    ['api.lyrics.ovh', 'api.lyrics.ovh'],
    ['API.Example.COM', 'api.example.com'],
    ['127.0.0.1:8080', '127.0.0.1:8080'],
    ['127.0.0.1', '127.0.0.1'],
    ['localhost:3000', 'localhost:3000'],
    ['[::1]:8080', '[::1]:8080'],
    ['example.com:443', 'example.com:443'],
    ['xn--bcher-kva.de', 'xn--bcher-kva.de'],
    ['bücher.de', 'xn--bcher-kva.de'],
  ])('accepts %j as %j', (entry, normalised) => {
    const text = manifestWith('build', {}, { permissions: { http_hosts: [entry] } });
    expect(manifestOf(text).permissions.httpHosts).toEqual([normalised]);
  });

  it.each([
    ['', 'host-empty'],
    ['api example.com', 'host-whitespace'],
    ['https://api.example.com', 'host-scheme'],
    ['api.example.com/path', 'host-path'],
    ['user@api.example.com', 'host-userinfo'],
    ['1.2.3.4', 'host-ip'],
    ['1.2.3.4:80', 'host-ip'],
    ['[2001:db8::1]', 'host-ip'],
    ['2001:db8::1', 'host-ip'],
    ['0x7f.1', 'host-ip'],
    ['api.*.com', 'host-wildcard'],
    ['*foo.com', 'host-wildcard'],
    ['*.com', 'host-wildcard'],
    ['example.com:99999', 'host-port'],
    ['example.com:0', 'host-port'],
    ['example.com:', 'host-port'],
    ['-bad.example.com', 'host-name'],
    ['under_score.com', 'host-name'],
    ['example.com.', 'host-name'],
    [`${'a'.repeat(64)}.com`, 'host-name'],
    [`${'abcdefghi.'.repeat(25)}info`, 'host-name'], // 254 characters
    ['10.0.0.1', 'host-ip'],
    ['*:8080', 'host-wildcard'],
    ['*.corp.internal', 'host-special'],
    ['*.home.arpa', 'host-special'],
    ['*.foo.lan', 'host-special'],
  ])('rejects %j (%s)', (entry, rule) => {
    const text = manifestWith('build', {}, { permissions: { http_hosts: ['ok.example.com', entry] } });
    expectIssue(errorsOf(text), 'permissions.http_hosts[1]', rule, q(entry));
  });

  it(`refuses more than ${MAX_HTTP_HOSTS} entries, naming the cap`, () => {
    const hosts = Array.from({ length: MAX_HTTP_HOSTS + 1 }, (_, i) => `h${i}.example.com`);
    const issue = expectIssue(errorsOf(manifestWith('build', {}, { permissions: { http_hosts: hosts } })), 'permissions.http_hosts', 'max-entries');
    expect(issue.message).toBe(
      `permissions.http_hosts lists ${MAX_HTTP_HOSTS + 1} hosts, but at most ${MAX_HTTP_HOSTS} are allowed; cover the hosts of one domain with a "*.domain" entry.`,
    );
    const atCap = manifestWith('build', {}, { permissions: { http_hosts: hosts.slice(0, MAX_HTTP_HOSTS) } });
    expect(manifestOf(atCap).permissions.httpHosts).toHaveLength(MAX_HTTP_HOSTS);
  });

  // Regression: 40,000 entries took ~20 s, each one compared with every one before it.
  it('checks 20,000 entries, one per line, and puts each issue on its own line', () => {
    const hosts = Array.from({ length: 20_000 }, (_, i) => (i % 2 === 0 ? `h${i}.example.com` : `h${i - 1}.example.com`));
    const text = `${manifestWith('build', {})}\n[permissions]\nhttp_hosts = [\n${hosts.map((h) => `  "${h}",`).join('\n')}\n]\n`;
    const firstHostLine = text.split('\n').indexOf('  "h0.example.com",') + 1;
    const result = parseManifest(text);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.map((e) => e.rule)).toEqual(['max-entries']);
    expect(result.warnings).toHaveLength(10_000);
    expect(result.warnings.every((w) => w.rule === 'duplicate')).toBe(true);
    // Each duplicate is marked where the value first appears.
    expect(result.warnings[0]).toMatchObject({ field: 'permissions.http_hosts[1]', line: firstHostLine });
    expect(result.warnings[9_999]).toMatchObject({ field: 'permissions.http_hosts[19999]', line: firstHostLine + 19_998 });
  });

  it('warns that an exact special-use or non-ASCII host is stored as the name it is', () => {
    const result = parseManifest(manifestWith('build', {}, { permissions: { http_hosts: ['printer.local', 'bücher.de'] } }));
    expect(result.ok && result.manifest.permissions.httpHosts).toEqual(['printer.local', 'xn--bcher-kva.de']);
    expectIssue(result.warnings, 'permissions.http_hosts[0]', 'host-special', q('printer.local'));
    expect(expectIssue(result.warnings, 'permissions.http_hosts[1]', 'host-punycode', q('bücher.de')).message).toContain('"xn--bcher-kva.de"');
  });

  it('warns about and drops duplicates after lowercasing', () => {
    const text = manifestWith('build', {}, { permissions: { http_hosts: ['api.example.com', 'API.example.com'] } });
    const result = parseManifest(text);
    expect(result.ok && result.manifest.permissions.httpHosts).toEqual(['api.example.com']);
    expectIssue(result.warnings, 'permissions.http_hosts[1]', 'duplicate', q('API.example.com'));
  });
});

describe('permissions.events', () => {
  it('keeps known events and de-duplicates with a warning', () => {
    const text = manifestWith('build', {}, { permissions: { events: ['on_track_added', 'on_track_played', 'on_track_added'] } });
    const result = parseManifest(text);
    expect(result.ok && result.manifest.permissions.events).toEqual(['on_track_added', 'on_track_played']);
    expectIssue(result.warnings, 'permissions.events[2]', 'duplicate', q('on_track_added'));
  });

  it.each(['on_track_add', 'track_added', 'ON_TRACK_ADDED', ''])('rejects unknown event %j', (event) => {
    const text = manifestWith('build', {}, { permissions: { events: ['on_track_added', event] } });
    const issue = expectIssue(errorsOf(text), 'permissions.events[1]', 'event-name', q(event));
    expect(issue.message).toContain('on_track_added, on_track_played');
  });
});

describe('permission booleans', () => {
  it('default to false and nothing', () => {
    expect(manifestOf(stringify(BASE)).permissions).toEqual({
      httpHosts: [],
      events: [],
      writeTracks: false,
      configAccess: false,
      readUsers: false,
    });
  });

  it.each([
    ['write_tracks', 'yes', '"yes"'],
    ['config_access', 1, '1'],
    ['read_users', 'true', '"true"'],
  ])('rejects %s = %j', (key, value, shown) => {
    const text = manifestWith('build', {}, { permissions: { [key]: value } });
    const issue = expectIssue(errorsOf(text), `permissions.${key}`, 'type', shown);
    expect(issue.message).toContain('a boolean');
  });
});

describe('wrong types', () => {
  const base = stringify(BASE);
  it.each([
    ['name = 5', '[plugin]\nname = 5\nversion = "1.0.0"\ndescription = "d"\n[build]\nwasm = "p.wasm"', 'plugin.name', 'a string', '5'],
    ['version = 1.0', '[plugin]\nname = "ab"\nversion = 1.0\ndescription = "d"\n[build]\nwasm = "p.wasm"', 'plugin.version', 'a string', '1'],
    ['events = "on_track_added"', `${base}\n[permissions]\nevents = "on_track_added"`, 'permissions.events', 'an array of strings', '"on_track_added"'],
    [
      'http_hosts = "api.example.com"',
      `${base}\n[permissions]\nhttp_hosts = "api.example.com"`,
      'permissions.http_hosts',
      'an array of strings',
      '"api.example.com"',
    ],
    ['events = [1]', `${base}\n[permissions]\nevents = [1]`, 'permissions.events[0]', 'a string', '1'],
    ['enabled = "yes"', `${base}\n[ui]\nenabled = "yes"`, 'ui.enabled', 'a boolean', '"yes"'],
    ['plugin = "lyrics"', `plugin = "lyrics"\n${stringify({ build: BASE.build })}`, 'plugin', 'a table', '"lyrics"'],
    ['wasm = ["p.wasm"]', '[plugin]\nname = "ab"\nversion = "1.0.0"\ndescription = "d"\n[build]\nwasm = ["p.wasm"]', 'build.wasm', 'a string', '["p.wasm"]'],
  ])('rejects %s', (_, text, field, expected, shown) => {
    const issue = expectIssue(errorsOf(text), field, 'type', shown);
    expect(issue.message).toContain(`must be ${expected}`);
  });
});

describe('[ui]', () => {
  const ui = (values: Record<string, unknown>) => manifestWith('build', {}, { ui: values });

  it('defaults to disabled', () => {
    expect(manifestOf(stringify(BASE)).ui).toEqual({ enabled: false });
  });

  it('accepts an enabled panel', () => {
    const text = ui({ enabled: true, slot: 'library-toolbar', entry: 'ui/index.html' });
    expect(manifestOf(text).ui).toEqual({ enabled: true, slot: 'library-toolbar', entry: 'ui/index.html' });
  });

  it('ignores slot and entry when disabled, even junk', () => {
    expect(manifestOf(ui({ enabled: false, slot: 'nowhere', entry: 5 })).ui).toEqual({ enabled: false });
  });

  it.each([
    ['without a slot', { enabled: true, entry: 'ui/index.html' }, 'ui.slot', 'required', undefined],
    ['without an entry', { enabled: true, slot: 'settings-panel' }, 'ui.entry', 'required', undefined],
    ['with an unknown slot', { enabled: true, slot: 'sidebar', entry: 'ui/index.html' }, 'ui.slot', 'one-of', '"sidebar"'],
    ['with an entry that is not .html', { enabled: true, slot: 'settings-panel', entry: 'ui/index.js' }, 'ui.entry', 'extension', '"ui/index.js"'],
    ['with an entry outside the plugin', { enabled: true, slot: 'settings-panel', entry: '../index.html' }, 'ui.entry', 'relative-path', '"../index.html"'],
  ])('rejects an enabled panel %s', (_, values, field, rule, bad) => {
    const issue = expectIssue(errorsOf(ui(values)), field, rule, bad);
    if (rule === 'required') expect(issue.message).toContain('when ui.enabled is true');
    if (rule === 'one-of') expect(issue.message).toContain('track-detail-sidebar, player-extra-controls, library-toolbar, settings-panel');
  });
});

describe('unknown keys', () => {
  it.each([
    ['an unknown table', { extra: { a: 1 } }, 'extra', 'table'],
    ['an unknown top-level key', { color: 'red' }, 'color', 'key'],
    ['an unknown key in [plugin]', { plugin: { ...BASE.plugin, keywords: ['x'] } }, 'plugin.keywords', 'key'],
    ['an unknown key in [permissions]', { permissions: { network: true } }, 'permissions.network', 'key'],
    ['an unknown key in a disabled [ui]', { ui: { enabled: false, theme: 'dark' } }, 'ui.theme', 'key'],
  ])('warns about %s and still accepts the manifest', (_, extra, field, kind) => {
    const result = parseManifest(stringify({ ...BASE, ...extra }));
    expect(result.ok).toBe(true);
    const issue = expectIssue(result.warnings, field, 'unknown-key');
    expect(issue.severity).toBe('warning');
    expect(issue.message).toContain(kind);
  });
});

describe('TOML syntax errors', () => {
  it('yield one issue with the line and column the parser reports', () => {
    const result = parseManifest('[plugin]\nname = "ab"\nversion = \n');
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]).toMatchObject({ field: 'toml', rule: 'syntax', severity: 'error', line: 3 });
    expect(result.errors[0]?.column).toBeGreaterThan(0);
    expect(result.errors[0]?.message).toMatch(/^plugin\.toml is not valid TOML at line 3, column \d+: \S/);
  });

  it('report a duplicate key on its line', () => {
    const errors = errorsOf('[plugin]\nname = "ab"\nname = "cd"\n');
    expect(errors[0]).toMatchObject({ field: 'toml', line: 3 });
  });
});

describe('plugin.min_playground_version', () => {
  const withMin = (min: Record<string, unknown>) => manifestWith('plugin', min);

  it.each([
    ['older than the app', '0.0.9', '0.1.0'],
    ['equal to the app', '0.1.0', '0.1.0'],
    ['checked without an app version', '9.0.0', undefined],
  ])('is accepted when %s', (_, min, app) => {
    expect(manifestOf(withMin({ min_playground_version: min }), app).plugin.minPlaygroundVersion).toBe(min);
  });

  it('rejects a minimum newer than the app, naming both versions', () => {
    const issue = expectIssue(errorsOf(withMin({ min_playground_version: '0.2.0' }), '0.1.0'), 'plugin.min_playground_version', 'min-version', '"0.2.0"');
    expect(issue.message).toContain('0.1.0');
  });

  it('rejects a minimum that is not x.y.z', () => {
    expectIssue(errorsOf(withMin({ min_playground_version: '0.1' })), 'plugin.min_playground_version', 'semver', '"0.1"');
  });

  it("accepts SoundTime's min_soundtime_version with a warning", () => {
    const result = parseManifest(withMin({ min_soundtime_version: '0.1.0' }), { appVersion: '0.1.0' });
    expect(result.ok && result.manifest.plugin.minPlaygroundVersion).toBe('0.1.0');
    expectIssue(result.warnings, 'plugin.min_soundtime_version', 'alias');
  });

  it('checks the alias against the app version too', () => {
    const errors = errorsOf(withMin({ min_soundtime_version: '1.0.0' }), '0.1.0');
    expectIssue(errors, 'plugin.min_soundtime_version', 'min-version', '"1.0.0"');
  });

  it('prefers min_playground_version when both are set', () => {
    const result = parseManifest(withMin({ min_playground_version: '0.1.0', min_soundtime_version: '5.0.0' }), { appVersion: '0.1.0' });
    expect(result.ok && result.manifest.plugin.minPlaygroundVersion).toBe('0.1.0');
    expect(expectIssue(result.warnings, 'plugin.min_soundtime_version', 'alias').message).toContain('ignored');
  });
});

const LYRICS_FETCHER = `[plugin]
name = "lyrics-fetcher"
version = "0.1.0"
description = "Fetches lyrics from lyrics.ovh when tracks are added"
author = "SoundTime Community"
license = "MIT"

[build]
wasm = "target/wasm32-wasi/release/lyrics_fetcher.wasm"

[permissions]
http_hosts = ["api.lyrics.ovh"]
events = ["on_track_added"]
write_tracks = true
config_access = false
read_users = false

[ui]
enabled = false
`;

const LYRICS_FETCHER_MANIFEST: Manifest = {
  plugin: {
    name: 'lyrics-fetcher',
    version: '0.1.0',
    description: 'Fetches lyrics from lyrics.ovh when tracks are added',
    author: 'SoundTime Community',
    license: 'MIT',
  },
  build: { wasm: 'target/wasm32-wasi/release/lyrics_fetcher.wasm' },
  permissions: { httpHosts: ['api.lyrics.ovh'], events: ['on_track_added'], writeTracks: true, configAccess: false, readUsers: false },
  ui: { enabled: false },
};

describe("SoundTime's lyrics-fetcher example", () => {
  it('parses without warnings and normalises as expected', () => {
    expect(parseManifest(LYRICS_FETCHER, { appVersion: '0.1.0' })).toEqual({
      ok: true,
      manifest: LYRICS_FETCHER_MANIFEST,
      warnings: [],
    });
  });
});

describe('line numbers', () => {
  const text = `# A plugin
[plugin]
name = "Lyrics_Fetcher"
version = "0.1.0"
description = """
A multi-line description.
name = "not a key"
"""

[build]
wasm = "plugin.wasm"

[permissions]
http_hosts = ["api.lyrics.ovh"]
events = [
  "on_track_added",
  "on_track_exploded",
]
colour = "red"
`;

  it.each([
    ['plugin.name', 3],
    ['permissions.events[1]', 17],
  ])('point %s at line %i', (field, line) => {
    expect(errorsOf(text).find((e) => e.field === field)?.line).toBe(line);
  });

  it('point an unknown key at its line', () => {
    const result = parseManifest(text.replace('Lyrics_Fetcher', 'lyrics-fetcher').replace('exploded', 'played'));
    expect(result.ok).toBe(true);
    expect(result.warnings.find((w) => w.field === 'permissions.colour')?.line).toBe(19);
  });

  it('point a missing key at its table header', () => {
    const errors = errorsOf('\n[plugin]\nname = "ab"\ndescription = "d"\n\n[build]\nwasm = "p.wasm"\n');
    expect(errors.find((e) => e.field === 'plugin.version')?.line).toBe(2);
  });

  it('find keys written as dotted keys or inline tables', () => {
    const errors = errorsOf('plugin.name = "X"\nplugin.version = "1.0.0"\nplugin.description = "d"\nbuild = { wasm = "a.wat" }\n');
    expect(errors.find((e) => e.field === 'plugin.name')?.line).toBe(1);
    expect(errors.find((e) => e.field === 'build.wasm')?.line).toBe(4);
  });
});

describe('draftManifest', () => {
  const info = { name: 'Lyrics Fetcher', version: '0.3.1', description: 'Finds lyrics.', author: 'Ana' };

  it.each([
    ['My Plugin!', 'my-plugin'],
    ['9lives', 'p-9lives'],
    ['', 'plugin'],
    ['a', 'a-plugin'],
    ['Café Crème', 'cafe-creme'],
    ['___', 'plugin'],
    ['X'.repeat(100), 'x'.repeat(64)],
    [`a${'-b'.repeat(40)}`, `a${'-b'.repeat(31)}`],
  ])('turns the name %j into %j and parses', (name, slug) => {
    const manifest = manifestOf(draftManifest({ ...info, name }, 'plugin.wasm'));
    expect(manifest.plugin.name).toBe(slug);
  });

  it('keeps valid metadata and asks for no permissions', () => {
    const text = draftManifest(info, 'lyrics_fetcher.wasm');
    expect(manifestOf(text)).toEqual({
      plugin: { name: 'lyrics-fetcher', version: '0.3.1', description: 'Finds lyrics.', author: 'Ana' },
      build: { wasm: 'lyrics_fetcher.wasm' },
      permissions: { httpHosts: [], events: [], writeTracks: false, configAccess: false, readUsers: false },
      ui: { enabled: false },
    });
    expect(text).toMatch(
      /# .*add the hosts, events and access this plugin needs.*\n\[permissions\]\nhttp_hosts = \[\]\nevents = \[\]\nwrite_tracks = false\nconfig_access = false\nread_users = false\n/,
    );
    expect(text).toContain('[ui]\nenabled = false\n');
  });

  it.each([
    ['an invalid version', { version: '1.0' }, (m: Manifest) => expect(m.plugin.version).toBe('0.0.0')],
    ['an empty description', { description: '  ' }, (m: Manifest) => expect(m.plugin.description).toBe('No description.')],
    ['a long description', { description: 'é'.repeat(600) }, (m: Manifest) => expect(m.plugin.description).toBe('é'.repeat(500))],
    ['an empty author', { author: '' }, (m: Manifest) => expect(m.plugin).not.toHaveProperty('author')],
    ['quotes and newlines', { description: 'say "hi"\n\\o/', author: "O'Brien" }, (m: Manifest) => expect(m.plugin.description).toBe('say "hi"\n\\o/')],
  ])('copes with %s', (_, change, check) => {
    check(manifestOf(draftManifest({ ...info, ...change }, 'p.wasm')));
  });

  it.each([
    ['', 'plugin.wasm'],
    ['C:\\fakepath\\my plugin.wasm', 'my plugin.wasm'],
    ['plugin.bin', 'plugin.bin.wasm'],
  ])('makes the wasm file name %j a valid build.wasm', (fileName, wasm) => {
    expect(manifestOf(draftManifest(info, fileName)).build.wasm).toBe(wasm);
  });
});

describe('toToml', () => {
  const full: Manifest = {
    plugin: {
      name: 'everything',
      version: '1.0.0-beta.1',
      description: 'All "the" fields\nand a newline',
      author: 'Zoë',
      license: 'MIT OR Apache-2.0',
      homepage: 'https://example.com/p',
      minPlaygroundVersion: '0.1.0',
    },
    build: { wasm: 'dist/everything.wasm' },
    permissions: {
      httpHosts: ['*.example.com', '127.0.0.1:8080'],
      events: ['on_track_added', 'on_user_login'],
      writeTracks: true,
      configAccess: true,
      readUsers: true,
    },
    ui: { enabled: true, slot: 'player-extra-controls', entry: 'ui/panel.html' },
  };

  it.each([
    ['the lyrics-fetcher example', LYRICS_FETCHER_MANIFEST],
    ['a manifest using every field', full],
  ])('round-trips %s', (_, manifest) => {
    const result = parseManifest(toToml(manifest), { appVersion: '0.1.0' });
    expect(result).toEqual({ ok: true, manifest, warnings: [] });
  });
});

describe('describePermissions', () => {
  const none = LYRICS_FETCHER_MANIFEST.permissions;

  it.each<[string, Partial<Manifest['permissions']>, string[]]>([
    ['nothing', { httpHosts: [], events: [], writeTracks: false }, ['Nothing: this plugin asks for no permissions.']],
    ['the lyrics fetcher', {}, ['Make HTTP requests to api.lyrics.ovh', 'Receive events: track added', 'Change track metadata (lyrics, genre, tags)']],
    [
      'everything',
      { httpHosts: ['*', '*.example.com'], events: ['on_track_added', 'on_track_played'], configAccess: true, readUsers: true },
      [
        'Make HTTP requests to ANY host on the internet',
        'Make HTTP requests to any subdomain of example.com',
        'Receive events: track added, track played',
        'Change track metadata (lyrics, genre, tags)',
        'Read and write its own settings',
        'Read user accounts (no passwords)',
      ],
    ],
  ])('describes %s', (_, change, lines) => {
    expect(describePermissions({ ...none, ...change })).toEqual(lines);
  });
});

describe('permissionsExceed', () => {
  const approved = LYRICS_FETCHER_MANIFEST.permissions;

  it.each<[string, Partial<Manifest['permissions']>, string[]]>([
    ['the same permissions', {}, []],
    ['fewer permissions', { httpHosts: [], events: [], writeTracks: false }, []],
    ['a new host', { httpHosts: ['api.lyrics.ovh', 'evil.example.com'] }, ['Make HTTP requests to evil.example.com']],
    ['any host', { httpHosts: ['*'] }, ['Make HTTP requests to ANY host on the internet']],
    ['a new event', { events: ['on_track_added', 'on_user_login'] }, ['Receive events: user logged in']],
    ['flipped booleans', { configAccess: true, readUsers: true }, ['Read and write its own settings', 'Read user accounts (no passwords)']],
  ])('for %s', (_, change, lines) => {
    expect(permissionsExceed(approved, { ...approved, ...change })).toEqual(lines);
  });

  it('reports a boolean the approval did not include', () => {
    const nothing = { ...approved, httpHosts: [], events: [], writeTracks: false };
    expect(permissionsExceed(nothing, approved)).toEqual(describePermissions(approved));
  });
});
