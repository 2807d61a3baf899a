import { describe, expect, it } from 'vitest';
import { compileAllowlist, decideHttp } from '../../src/shared/http-policy';
import { HTTP_POLICY_CASES } from './http-policy.cases';

describe('decideHttp: the allowlist table', () => {
  it('has at least 90 cases, none duplicated', () => {
    expect(HTTP_POLICY_CASES.length).toBeGreaterThanOrEqual(90);
    const keys = HTTP_POLICY_CASES.map((c) => JSON.stringify([c.url, c.allowlist]));
    expect(new Set(keys).size).toBe(keys.length);
  });

  it.each(HTTP_POLICY_CASES.map((c) => [`${c.note}: ${JSON.stringify(c.url)} with ${JSON.stringify(c.allowlist)}`, c] as const))('%s', (_name, c) => {
    const decision = decideHttp(c.url, c.allowlist);
    expect({ allowed: decision.allowed, reason: decision.reason }).toEqual({
      allowed: c.allowed,
      reason: c.reasonIncludes === undefined ? expect.any(String) : expect.stringContaining(c.reasonIncludes),
    });
    if (c.allowed) expect(c.allowlist).toContain(decision.matchedEntry);
    else expect(decision.matchedEntry).toBeUndefined();
  });
});

describe('decideHttp: the decision record', () => {
  it('returns the parsed URL on allow and on deny, and none when parsing failed', () => {
    expect(decideHttp('https://API.lyrics.ovh/x?q=1', ['api.lyrics.ovh']).url?.href).toBe('https://api.lyrics.ovh/x?q=1');
    expect(decideHttp('https://evil.com/', ['api.lyrics.ovh']).url?.hostname).toBe('evil.com');
    expect(decideHttp('//api.lyrics.ovh/', ['api.lyrics.ovh']).url).toBeUndefined();
  });

  it('names the entry as the manifest wrote it', () => {
    const d = decideHttp('https://a.example.com/', ['api.lyrics.ovh', '*.Example.COM']);
    expect(d).toMatchObject({ allowed: true, matchedEntry: '*.Example.COM' });
  });

  it('prefers an exact entry to a wildcard', () => {
    expect(decideHttp('https://api.example.com/', ['*', '*.example.com', 'api.example.com']).matchedEntry).toBe('api.example.com');
    expect(decideHttp('https://b.example.com/', ['*', '*.example.com']).matchedEntry).toBe('*.example.com');
  });

  it('lets an entry with a port allow that port and no other', () => {
    const list = ['api.example.com:8443'];
    expect(decideHttp('https://api.example.com:8443/', list).allowed).toBe(true);
    expect(decideHttp('https://api.example.com/', list).reason).toBe(
      "the default port 443 is not allowed for 'api.example.com' (the entry allows only port 8443)",
    );
  });

  it('treats an entry with :443 like one without a port for https', () => {
    expect(decideHttp('https://api.example.com/', ['api.example.com:443']).allowed).toBe(true);
  });

  it('lists every port the entries for a host allow', () => {
    expect(decideHttp('https://api.example.com:9000/', ['api.example.com', 'api.example.com:8443']).reason).toBe(
      "port 9000 is not allowed for 'api.example.com' (the entries allow only the default port or port 8443)",
    );
  });

  it('reaches loopback IPs and local names through an exact entry only', () => {
    expect(decideHttp('https://127.0.0.1/', ['127.0.0.1']).allowed).toBe(true);
    expect(decideHttp('https://metadata.google.internal/', ['metadata.google.internal']).allowed).toBe(true);
    expect(decideHttp('https://[::1]:8443/', ['[::1]:8443']).allowed).toBe(true);
    expect(decideHttp('http://[::1]:8080/', ['[::1]:8080']).allowed).toBe(true);
    expect(decideHttp('http://localhost:5173/', ['localhost:5173']).allowed).toBe(true);
  });

  it('matches entries normalised like request hosts (IDN, case)', () => {
    expect(decideHttp('https://BÜCHER.example/', ['bücher.example']).allowed).toBe(true);
    expect(decideHttp('https://xn--bcher-kva.example/', ['Bücher.Example']).allowed).toBe(true);
  });

  it('ignores entries the manifest refuses: other IPs, other spellings of loopback', () => {
    expect(decideHttp('https://10.0.0.1/', ['10.0.0.1']).reason).toBe(
      "'10.0.0.1' is a private or loopback address (private 10/8); http_hosts cannot list IP addresses other than 127.0.0.1 and [::1], so request it by host name" +
        " (ignored: http_hosts entry '10.0.0.1' is not an allowed host: IP addresses are not allowed; use a host name (only the loopback hosts localhost, 127.0.0.1 and [::1] may be listed as such))",
    );
    expect(decideHttp('http://127.0.0.1:8080/', ['0x7f000001:8080']).reason).toContain(
      `(ignored: http_hosts entry '0x7f000001:8080' is not an allowed host: it is 127.0.0.1 written another way; write "127.0.0.1")`,
    );
  });

  it('keeps plain http for loopback hosts only, even when a public host is listed exactly', () => {
    expect(decideHttp('http://api.example.com/', ['api.example.com']).reason).toBe(
      "scheme 'http:' is not allowed for 'api.example.com'; use https (plain http is only for a loopback host listed exactly in http_hosts)",
    );
    expect(decideHttp('http://10.0.0.1/', ['10.0.0.1']).allowed).toBe(false);
    expect(decideHttp('http://foo.localhost:8080/', ['foo.localhost:8080']).allowed).toBe(false);
  });
});

describe('decideHttp: reason wording', () => {
  it.each([
    ['https://evil.com/', ['api.lyrics.ovh'], `host 'evil.com' is not in http_hosts ["api.lyrics.ovh"]`],
    ['ftp://api.lyrics.ovh/', ['api.lyrics.ovh'], "scheme 'ftp:' is not allowed; use https"],
    ['https://127.0.0.1/', ['*'], "'127.0.0.1' is a private or loopback address (loopback 127/8); list it exactly in http_hosts to allow it"],
    ['https://api.example.com:8443/', ['api.example.com'], "port 8443 is not allowed for 'api.example.com' (the entry allows only the default port)"],
    ['https://u:p@api.lyrics.ovh/', ['api.lyrics.ovh'], 'credentials in the URL (user@host) are not allowed; remove them from the URL'],
    ['/v1/lyrics', ['api.lyrics.ovh'], `not an absolute URL: "/v1/lyrics"; give a full URL such as 'https://api.example.com/path'`],
    [
      'https://8.8.8.8/',
      ['*'],
      "'8.8.8.8' is an IP address, which wildcards never reach; http_hosts cannot list IP addresses other than 127.0.0.1 and [::1], so request it by host name",
    ],
    [
      'https://evil.example/steal',
      ['api.lyrics.ovh'],
      `host 'evil.example' is not in http_hosts ["api.lyrics.ovh"] ('evil.example' is a name reserved for testing and documentation (.example): only an exact entry reaches it)`,
    ],
    [
      'https://hooks.test/in',
      ['*'],
      `'hooks.test' is a name reserved for testing and documentation (.test), which "*" and "*." entries never reach; list it exactly in http_hosts to allow it`,
    ],
    [
      'https://api.lyrics.ovh./',
      ['api.lyrics.ovh'],
      "'api.lyrics.ovh' matches http_hosts entry 'api.lyrics.ovh' (the trailing dot in 'api.lyrics.ovh.' was ignored)",
    ],
    ['https://a.b.example.com/', ['*.example.com'], "'a.b.example.com' is covered by http_hosts entry '*.example.com'"],
    ['https://api.lyrics.ovh/', ['*'], "'api.lyrics.ovh' is a public host name, allowed by http_hosts entry '*'"],
  ] as const)('%s with %j', (url, list, reason) => {
    expect(decideHttp(url, list).reason).toBe(reason);
  });

  it('escapes control characters when it echoes an unparsable URL', () => {
    expect(decideHttp('\u0000/x\n', []).reason).toContain('"\\u0000/x\\n"');
  });

  it('says which allowlist entries it ignored', () => {
    expect(decideHttp('https://api.example.com/', ['https://api.example.com/']).reason).toBe(
      `host 'api.example.com' is not in http_hosts ["https://api.example.com/"] (ignored: http_hosts entry 'https://api.example.com/' is not an allowed host: list the host only, without a scheme such as "https://" (e.g. "api.example.com"))`,
    );
  });

  it('shortens a long allowlist', () => {
    const list = Array.from({ length: 12 }, (_, i) => `h${i}.example.com`);
    expect(decideHttp('https://evil.com/', list).reason).toContain('"h9.example.com", … 2 more]');
  });
});

describe('compileAllowlist', () => {
  it('parses a list once: the same entries give the same compiled allowlist, even in a fresh array', () => {
    const hosts = Array.from({ length: 10_000 }, (_, i) => `h${i}.example.com`);
    const compiled = compileAllowlist(hosts);
    expect(compileAllowlist(hosts)).toBe(compiled);
    expect(compileAllowlist([...hosts])).toBe(compiled);
    expect(compileAllowlist([...hosts, 'one-more.example.com'])).not.toBe(compiled);
  });

  it('decides the same on a compiled list as on the raw one', () => {
    const hosts = Array.from({ length: 10_000 }, (_, i) => `h${i}.example.org`).concat('*.lyrics.ovh', 'bad entry');
    for (const url of ['https://h9999.example.org/', 'https://api.lyrics.ovh/', 'https://h10000.example.org/']) {
      expect(decideHttp(url, compileAllowlist(hosts))).toEqual(decideHttp(url, hosts));
    }
    expect(decideHttp('https://h9999.example.org/', hosts)).toMatchObject({ allowed: true, matchedEntry: 'h9999.example.org' });
    expect(decideHttp('https://h10000.example.org/', hosts).reason).toContain(
      "(ignored: http_hosts entry 'bad entry' is not an allowed host: a host cannot contain spaces)",
    );
  });

  it('explains only the first few ignored entries', () => {
    const reason = decideHttp('https://evil.com/', ['a b', 'c d', 'e f', 'g h', 'i j']).reason;
    expect(reason.match(/\(ignored: /g)).toHaveLength(3);
    expect(reason).toMatch(/\(and 2 more ignored entries\)$/);
  });
});
