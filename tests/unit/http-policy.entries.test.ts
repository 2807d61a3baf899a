// One table of http_hosts entries, each run through both the manifest validator and the fetch
// proxy's decision: what the manifest accepts is exactly what the proxy enforces, and an entry
// the manifest refuses is ignored by the proxy for the same reason.
import { stringify } from 'smol-toml';
import { describe, expect, it } from 'vitest';
import { decideHttp } from '../../src/shared/http-policy.ts';
import { parseManifest, type ManifestIssue } from '../../src/shared/manifest.ts';
import { SPECIAL_USE_SUFFIXES } from '../../src/shared/special-names.ts';

type EntryCase =
  | { entry: string; stored: string; warning?: string; reaches: string[]; misses?: string[] }
  | { entry: string; refused: string; reason?: string; misses: string[] };

const LABEL_RULE = 'a host name is dot-separated labels';
const NO_IP = 'IP addresses are not allowed';
const PUBLIC_ONLY = '"*." reaches only public names';

const ENTRY_CASES: readonly EntryCase[] = [
  // --- accepted: the proxy reaches exactly what the entry names -------------------------
  { entry: 'api.lyrics.ovh', stored: 'api.lyrics.ovh', reaches: ['https://api.lyrics.ovh/v1'], misses: ['https://x.api.lyrics.ovh/', 'https://lyrics.ovh/'] },
  { entry: 'API.Example.COM', stored: 'api.example.com', reaches: ['https://api.example.com/'] },
  { entry: 'api.example.com:8443', stored: 'api.example.com:8443', reaches: ['https://api.example.com:8443/'], misses: ['https://api.example.com/'] },
  { entry: 'example.com:443', stored: 'example.com:443', reaches: ['https://example.com/'], misses: ['https://example.com:8443/'] },
  { entry: '*.example.com', stored: '*.example.com', reaches: ['https://example.com/', 'https://a.b.example.com/'], misses: ['https://badexample.com/'] },
  { entry: '*.example.com:8443', stored: '*.example.com:8443', reaches: ['https://a.example.com:8443/'], misses: ['https://a.example.com/'] },
  { entry: '*.co.uk', stored: '*.co.uk', reaches: ['https://bbc.co.uk/'] },
  {
    entry: '*',
    stored: '*',
    reaches: ['https://api.lyrics.ovh/', 'https://hooks.example.net/in'],
    misses: ['https://printer.local/', 'https://10.0.0.1/', 'https://hooks.test/', 'https://nas/'],
  },
  { entry: 'xn--bcher-kva.de', stored: 'xn--bcher-kva.de', reaches: ['https://bücher.de/'] },
  { entry: 'bücher.de', stored: 'xn--bcher-kva.de', warning: 'host-punycode', reaches: ['https://xn--bcher-kva.de/'] },
  { entry: 'ＡＰＩ.lyrics.ovh', stored: 'api.lyrics.ovh', warning: 'host-punycode', reaches: ['https://api.lyrics.ovh/'] },
  { entry: '127.0.0.1:8080', stored: '127.0.0.1:8080', reaches: ['http://127.0.0.1:8080/', 'http://2130706433:8080/'], misses: ['http://127.0.0.1:8081/'] },
  { entry: '127.0.0.1', stored: '127.0.0.1', reaches: ['https://127.0.0.1/'], misses: ['https://127.0.0.2/'] },
  { entry: '[::1]:8080', stored: '[::1]:8080', reaches: ['http://[::1]:8080/'], misses: ['http://127.0.0.1:8080/'] },
  { entry: 'localhost:3000', stored: 'localhost:3000', warning: 'host-special', reaches: ['http://localhost:3000/'], misses: ['http://a.localhost:3000/'] },
  { entry: 'metadata.google.internal', stored: 'metadata.google.internal', warning: 'host-special', reaches: ['https://metadata.google.internal/'] },
  { entry: 'printer.local', stored: 'printer.local', warning: 'host-special', reaches: ['https://printer.local/'], misses: ['https://scanner.local/'] },
  { entry: 'router.home.arpa', stored: 'router.home.arpa', warning: 'host-special', reaches: ['https://router.home.arpa/'] },
  { entry: 'hooks.test', stored: 'hooks.test', warning: 'host-special', reaches: ['https://hooks.test/'] },
  { entry: 'example', stored: 'example', warning: 'host-special', reaches: ['https://example/'] },
  { entry: 'nas', stored: 'nas', warning: 'host-special', reaches: ['https://nas/'] },

  // --- refused: the manifest says why, and the proxy ignores the entry for that reason --
  { entry: '', refused: 'host-empty', misses: ['https://api.example.com/'] },
  { entry: 'api example.com', refused: 'host-whitespace', misses: ['https://api.example.com/'] },
  { entry: ' api.example.com ', refused: 'host-whitespace', misses: ['https://api.example.com/'] },
  { entry: 'https://api.example.com', refused: 'host-scheme', reason: '(e.g. "api.example.com")', misses: ['https://api.example.com/'] },
  { entry: 'api.example.com/path', refused: 'host-path', misses: ['https://api.example.com/path'] },
  { entry: 'api.example.com\\evil.com', refused: 'host-path', misses: ['https://api.example.com/'] },
  { entry: 'user@api.example.com', refused: 'host-userinfo', misses: ['https://api.example.com/'] },
  { entry: 'api%2Elyrics.ovh', refused: 'host-name', reason: 'percent-encoding', misses: ['https://api.lyrics.ovh/'] },
  { entry: 'foo_bar.example.com', refused: 'host-name', reason: LABEL_RULE, misses: ['https://foo_bar.example.com/'] },
  { entry: '-bad.example.com', refused: 'host-name', reason: LABEL_RULE, misses: ['https://-bad.example.com/'] },
  { entry: `${'a'.repeat(64)}.com`, refused: 'host-name', reason: LABEL_RULE, misses: [`https://${'a'.repeat(64)}.com/`] },
  { entry: 'example.com.', refused: 'host-name', reason: 'write "example.com"', misses: ['https://example.com/'] },
  { entry: 'a..example.com', refused: 'host-name', misses: ['https://example.com/'] },
  { entry: '10.0.0.1', refused: 'host-ip', reason: NO_IP, misses: ['https://10.0.0.1/'] },
  { entry: '8.8.8.8', refused: 'host-ip', reason: NO_IP, misses: ['https://8.8.8.8/'] },
  { entry: '1.2.3.4:80', refused: 'host-ip', reason: NO_IP, misses: ['https://1.2.3.4:80/'] },
  { entry: '[2001:db8::1]', refused: 'host-ip', reason: NO_IP, misses: ['https://[2001:db8::1]/'] },
  { entry: '2001:db8::1', refused: 'host-ip', reason: NO_IP, misses: ['https://[2001:db8::1]/'] },
  { entry: '[::ffff:127.0.0.1]', refused: 'host-ip', reason: NO_IP, misses: ['https://[::ffff:127.0.0.1]/'] },
  { entry: '0x7f.1', refused: 'host-ip', reason: 'it is 127.0.0.1 written another way; write "127.0.0.1"', misses: ['https://127.0.0.1/'] },
  { entry: '2130706433:8080', refused: 'host-ip', reason: 'write "127.0.0.1"', misses: ['http://127.0.0.1:8080/'] },
  { entry: '*.10.0.0.1', refused: 'host-ip', misses: ['https://10.0.0.1/'] },
  { entry: 'a.*.example.com', refused: 'host-wildcard', misses: ['https://a.b.example.com/'] },
  { entry: '*foo.com', refused: 'host-wildcard', misses: ['https://foo.com/'] },
  { entry: '*.*.example.com', refused: 'host-wildcard', misses: ['https://a.b.example.com/'] },
  { entry: '*.com', refused: 'host-wildcard', reason: 'at least two labels', misses: ['https://evil.com/'] },
  { entry: '*:8080', refused: 'host-wildcard', reason: '"*" cannot take a port', misses: ['https://api.lyrics.ovh:8080/'] },
  { entry: 'example.com:0', refused: 'host-port', misses: ['https://example.com/'] },
  { entry: 'example.com:65536', refused: 'host-port', misses: ['https://example.com/'] },
  { entry: 'example.com:https', refused: 'host-port', misses: ['https://example.com/'] },
  { entry: 'example.com:', refused: 'host-port', misses: ['https://example.com/'] },
  // Wildcards under special-use and non-delegated names: "*." reaches only public names.
  ...['localhost', 'test', 'example', 'invalid', 'local', 'internal', 'corp.internal', 'home.arpa', 'lan', 'foo.lan', 'alt', 'onion']
    .concat(['consul', 'service.consul', 'svc', 'default.svc', 'private', 'corp', 'home', 'intranet', 'localdomain'])
    .map((domain): EntryCase => ({ entry: `*.${domain}`, refused: 'host-special', reason: PUBLIC_ONLY, misses: [`https://a.${domain}/`] })),
];

function manifestFor(hosts: readonly string[]): string {
  return stringify({
    plugin: { name: 'entry-check', version: '0.1.0', description: 'Checks one entry' },
    build: { wasm: 'plugin.wasm' },
    permissions: { http_hosts: hosts },
  });
}

function issuesOf(entry: string): { stored?: string[]; errors: ManifestIssue[]; warnings: ManifestIssue[] } {
  const result = parseManifest(manifestFor([entry]));
  return result.ok ? { stored: result.manifest.permissions.httpHosts, errors: [], warnings: result.warnings } : result;
}

describe('http_hosts entries: one rule set for the manifest and the proxy', () => {
  it('covers every special-use suffix with a refused wildcard', () => {
    const refused = ENTRY_CASES.flatMap((c) => ('refused' in c && c.refused === 'host-special' ? [c.entry.slice(2)] : []));
    expect(SPECIAL_USE_SUFFIXES.filter((suffix) => !refused.includes(suffix))).toEqual([]);
  });

  it.each(ENTRY_CASES.map((c) => [c.entry, c] as const))('%j', (entry, c) => {
    const { stored, errors, warnings } = issuesOf(entry);
    if ('stored' in c) {
      expect(errors).toEqual([]);
      expect(stored).toEqual([c.stored]);
      expect(warnings.map((w) => w.rule)).toEqual(c.warning ? [c.warning] : []);
      // The proxy honours the entry as written and as the manifest stored it.
      for (const list of [[entry], [c.stored]]) {
        for (const url of c.reaches)
          expect(decideHttp(url, list), `${url} with ${JSON.stringify(list)}`).toMatchObject({ allowed: true, matchedEntry: list[0] });
        for (const url of c.misses ?? []) expect(decideHttp(url, list).allowed, `${url} with ${JSON.stringify(list)}`).toBe(false);
      }
    } else {
      expect(errors.map((e) => [e.field, e.rule])).toEqual([['permissions.http_hosts[0]', c.refused]]);
      const message = errors[0]!.message;
      if (c.reason) expect(message).toContain(c.reason);
      const why = /is not an allowed host: (.*)\.$/.exec(message)?.[1];
      expect(why, message).toBeDefined();
      for (const url of c.misses) {
        const decision = decideHttp(url, [entry]);
        expect(decision.allowed, url).toBe(false);
        expect(decision.reason).toContain(`(ignored: http_hosts entry '${entry}' is not an allowed host: ${why})`);
      }
    }
  });
});

describe('special-use names under "*"', () => {
  it.each(SPECIAL_USE_SUFFIXES.map((suffix) => [suffix] as const))('.%s is reached only when listed exactly', (suffix) => {
    for (const host of [`hooks.${suffix}`, suffix]) {
      const url = `https://${host}/in`;
      for (const list of [['*'], ['*', '*.example.com']]) {
        const decision = decideHttp(url, list);
        expect(decision.allowed, `${url} with ${JSON.stringify(list)}`).toBe(false);
        expect(decision.reason).toContain(`'${host}' is `);
        expect(decision.reason).toContain(`(.${suffix}), which "*" and "*." entries never reach; list it exactly in http_hosts to allow it`);
      }
      expect(decideHttp(url, [host]), `${url} listed exactly`).toMatchObject({ allowed: true, matchedEntry: host });
    }
  });

  it('warns in the manifest that an exact special-use host is not a public name', () => {
    const result = parseManifest(manifestFor(['api.lyrics.ovh', 'hooks.test']));
    expect(result.ok && result.warnings.map((w) => w.message)).toEqual([
      'permissions.http_hosts[1] "hooks.test" is a name reserved for testing and documentation (.test), not a public host name: only this exact entry reaches it ("*" and "*." entries never do).',
    ]);
  });

  it('says why a wildcard under a special-use name is refused', () => {
    const result = parseManifest(manifestFor(['*.corp.internal']));
    expect(!result.ok && result.errors.map((e) => e.message)).toEqual([
      'permissions.http_hosts[0] "*.corp.internal" is not an allowed host: "*." reaches only public names, and corp.internal is a local or internal host name (.internal); list each host you need exactly, e.g. "api.corp.internal".',
    ]);
  });
});
