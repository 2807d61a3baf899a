// The HTTP allowlist decision for the fetch proxy (DESIGN.md §6): pure, deny by default.
// We decide only on what `new URL(raw)` parsed — never on the raw string — because the
// browser's WHATWG parser is what the request will actually use: it has already stripped
// tabs/newlines, turned `\` into `/`, lowercased, mapped IDN (incl. full-width) to punycode,
// percent-decoded the host and rewritten decimal/hex/octal/short IPv4 as dotted decimal.
// Out of reach here: a public name that resolves to a private address (DNS rebinding,
// nip.io); Chromium's Private Network Access checks are the backstop for that.

export interface HttpDecision {
  allowed: boolean;
  /** A full sentence the plugin author can act on. */
  reason: string;
  /** The parsed URL, when parsing succeeded (also on denials). */
  url?: URL;
  /** The http_hosts entry that allowed the request, as written in the manifest. */
  matchedEntry?: string;
}

export interface HostEntry {
  /** Normalised host: lowercase, punycode, no trailing dot; `[…]` for IPv6; `*` for 'any'. */
  host: string;
  /** Absent: only the scheme's default port. */
  port?: number;
  wildcard: 'none' | 'any' | 'subdomains';
}

const DEFAULT_PORT: Record<string, number> = { 'https:': 443, 'http:': 80 };

// Names that resolve (or may resolve) inside the user's machine or network. Only an exact
// entry reaches them. `.internal` covers cloud metadata (metadata.google.internal); `.lan`,
// `.home`, `.corp`, `.intranet` are undelegated names home routers and intranets use.
const LOCAL_SUFFIXES = ['localhost', 'localdomain', 'internal', 'local', 'home.arpa', 'lan', 'home', 'corp', 'intranet'];

type HostClass = { kind: 'name' } | { kind: 'local-name'; what: string; loopback: boolean } | ({ kind: 'ip' } & IpClass) | { kind: 'invalid'; what: string };

export function normaliseHostEntry(entry: string): HostEntry | { error: string } {
  const text = entry.trim();
  const bad = (why: string) => ({ error: `http_hosts entry '${text}' ${why}` });
  if (text === '') return { error: `empty http_hosts entry; write a host such as 'api.example.com'` };
  const scheme = /^([a-z][a-z0-9+.-]*):\/\/([^/]*)/i.exec(text);
  if (scheme) return bad(`has a scheme; write the host only, e.g. '${scheme[2]}'`);
  if (/[/?#@\\\s]/.test(text)) {
    return bad('may hold only a host and an optional :port (no path, query, user name or spaces)');
  }

  let hostText = text;
  let portText: string | undefined;
  if (text.startsWith('[')) {
    const close = text.indexOf(']');
    const rest = close < 0 ? '' : text.slice(close + 1);
    if (close < 0 || (rest !== '' && !rest.startsWith(':'))) return bad('is not a valid [IPv6] host');
    hostText = text.slice(0, close + 1);
    if (rest !== '') portText = rest.slice(1);
  } else {
    const colon = text.indexOf(':');
    if (colon !== text.lastIndexOf(':')) return bad("looks like an IPv6 address; write it in brackets, e.g. '[::1]:8080'");
    if (colon >= 0) [hostText, portText] = [text.slice(0, colon), text.slice(colon + 1)];
  }

  let port: number | undefined;
  if (portText !== undefined) {
    port = /^\d{1,5}$/.test(portText) ? Number(portText) : NaN;
    if (!(port >= 1 && port <= 65535)) return bad(`has an invalid port '${portText}'; use 1-65535`);
  }

  if (hostText === '*') return { host: '*', wildcard: 'any', ...(port === undefined ? {} : { port }) };
  const wildcard = hostText.startsWith('*.') ? 'subdomains' : 'none';
  if (wildcard === 'subdomains') hostText = hostText.slice(2);
  if (hostText.includes('*')) return bad("uses '*' wrongly; write '*' alone or a leading '*.' as in '*.example.com'");

  let host: string;
  try {
    // Same normalisation as request hosts: lowercase, IDN → punycode, IPv4 forms → dotted.
    host = stripTrailingDot(new URL(`https://${hostText}/`).hostname).host;
  } catch {
    return bad('is not a valid host name');
  }
  const cls = classifyHost(host);
  if (cls.kind === 'invalid') return bad(`is not a valid host name (${cls.what})`);
  if (wildcard === 'subdomains') {
    // Wildcards never reach IPs or local names, so such an entry could only mislead.
    if (cls.kind === 'ip') return bad('puts a wildcard on an IP address; list each address exactly');
    if (!host.includes('.') && !LOCAL_SUFFIXES.includes(host)) {
      return bad(`is too broad: it covers the whole top-level domain '.${host}'; list the hosts you need`);
    }
    if (cls.kind === 'local-name') return bad(`puts a wildcard on ${cls.what}; list each host exactly`);
  }
  return { host, wildcard, ...(port === undefined ? {} : { port }) };
}

export function decideHttp(rawUrl: string, allowlist: readonly string[]): HttpDecision {
  let url: URL;
  try {
    url = new URL(rawUrl); // no base: relative and protocol-relative URLs must fail here
  } catch {
    return deny(`not an absolute URL: ${quoteRaw(rawUrl)}; give a full URL such as 'https://api.example.com/path'`);
  }
  const defaultPort = DEFAULT_PORT[url.protocol];
  if (defaultPort === undefined) return deny(`scheme '${url.protocol}' is not allowed; use https`, url);
  if (url.username !== '' || url.password !== '') {
    return deny('credentials in the URL (user@host) are not allowed; remove them from the URL', url);
  }

  const { host, stripped } = stripTrailingDot(url.hostname);
  const dotNote = stripped ? ` (the trailing dot in '${url.hostname}' was ignored)` : '';
  const port = url.port === '' ? defaultPort : Number(url.port);
  const cls = classifyHost(host);
  const entries = allowlist.map((raw) => ({ raw, norm: normaliseHostEntry(raw) }));
  const valid = entries.flatMap(({ raw, norm }) => ('error' in norm ? [] : [{ raw, ...norm }]));
  const invalidNote = entries.flatMap(({ norm }) => ('error' in norm ? [` (ignored: ${norm.error})`] : [])).join('');
  const portOk = (e: HostEntry) => (e.port ?? defaultPort) === port;
  const allow = (e: { raw: string }, how: string): HttpDecision => ({
    allowed: true,
    reason: `'${host}' ${how} http_hosts entry '${e.raw}'${dotNote}`,
    url,
    matchedEntry: e.raw,
  });
  const denyWith = (why: string) => deny(why + dotNote + invalidNote, url);

  if (cls.kind === 'invalid') return denyWith(`host '${host}' is not a valid DNS name (${cls.what})`);

  const exact = valid.filter((e) => e.wildcard === 'none' && e.host === host);
  const exactHit = exact.find(portOk);
  const loopback = cls.kind !== 'name' && cls.loopback;
  if (url.protocol === 'http:' && !(loopback && exactHit)) {
    if (!loopback) {
      return denyWith(`scheme 'http:' is not allowed for '${host}'; use https (plain http is only for a loopback host listed exactly in http_hosts)`);
    }
    if (exact.length === 0) {
      const example = url.port === '' ? host : `${host}:${port}`;
      const noun = cls.kind === 'ip' ? 'address' : 'host name';
      return denyWith(`'${host}' is a loopback ${noun}; list it exactly in http_hosts (as '${example}') to allow plain http to it`);
    }
  }
  if (exactHit) return allow(exactHit, 'matches');

  // IP literals and local names: wildcards never reach them, only an exact entry does.
  if (cls.kind !== 'name') {
    if (exact.length > 0) return denyWith(portReason(port, url.port === '', host, exact));
    const what =
      cls.kind === 'local-name'
        ? `is ${cls.what}`
        : cls.special
          ? `is a private or loopback address (${cls.special})`
          : 'is an IP address, which wildcards never reach';
    return denyWith(`'${host}' ${what}; list it exactly in http_hosts to allow it`);
  }

  const wild = valid.filter((e) => (e.wildcard === 'subdomains' && (host === e.host || host.endsWith(`.${e.host}`))) || e.wildcard === 'any');
  const sub = wild.find((e) => e.wildcard === 'subdomains' && portOk(e));
  if (sub) return allow(sub, 'is covered by');
  const any = wild.find(portOk);
  if (any) return allow(any, 'is a public host name, allowed by');
  const candidates = [...exact, ...wild];
  if (candidates.length > 0) return denyWith(portReason(port, url.port === '', host, candidates));
  const idn = host.split('.').some((l) => l.startsWith('xn--'))
    ? ` ('${host}' is the punycode form of a non-ASCII name; look-alike letters make a different host)`
    : '';
  return denyWith(`host '${host}' is not in http_hosts ${showList(allowlist)}${idn}`);
}

function deny(reason: string, url?: URL): HttpDecision {
  return url ? { allowed: false, reason, url } : { allowed: false, reason };
}

function portReason(port: number, isDefault: boolean, host: string, entries: readonly HostEntry[]): string {
  const allowed = [...new Set(entries.map((e) => (e.port === undefined ? 'the default port' : `port ${e.port}`)))];
  const which = entries.length === 1 ? 'the entry allows' : 'the entries allow';
  const shown = isDefault ? `the default port ${port}` : `port ${port}`;
  return `${shown} is not allowed for '${host}' (${which} only ${allowed.join(' or ')})`;
}

function stripTrailingDot(hostname: string): { host: string; stripped: boolean } {
  // One dot only: 'a.com..' keeps an empty label and then fails the DNS-name check.
  return hostname.endsWith('.') ? { host: hostname.slice(0, -1), stripped: true } : { host: hostname, stripped: false };
}

function quoteRaw(raw: string): string {
  return JSON.stringify(raw.length > 200 ? `${raw.slice(0, 200)}…` : raw);
}

function showList(list: readonly string[]): string {
  const shown = JSON.stringify(list.slice(0, 10));
  return list.length > 10 ? `${shown.slice(0, -1)}, … ${list.length - 10} more]` : shown;
}

function classifyHost(host: string): HostClass {
  const ip = host.startsWith('[') ? classifyIPv6(host.slice(1, -1)) : IPV4.test(host) ? classifyIPv4(toIPv4(host)) : null;
  if (ip !== null) return { kind: 'ip', ...ip };
  // After IDNA everything is ASCII; WHATWG still lets through characters DNS cannot carry
  // (e.g. '*', '!', '~') and empty labels ('a..b').
  const labels = host.split('.');
  if (labels.some((l) => l === '')) return { kind: 'invalid', what: 'it has an empty label' };
  if (!labels.every((l) => /^[a-z0-9_-]+$/.test(l))) {
    return { kind: 'invalid', what: 'only letters, digits, - and _ are allowed' };
  }
  if (host === 'localhost' || host.endsWith('.localhost')) {
    return { kind: 'local-name', what: 'a loopback host name', loopback: host === 'localhost' };
  }
  const suffix = LOCAL_SUFFIXES.find((s) => host === s || host.endsWith(`.${s}`));
  if (suffix) return { kind: 'local-name', what: `a local or internal host name (.${suffix})`, loopback: false };
  // A dotless name is completed by the OS resolver's search domains: an intranet machine.
  if (labels.length === 1) return { kind: 'local-name', what: 'a single-label (intranet) host name', loopback: false };
  return { kind: 'name' };
}

interface IpClass {
  /** Set for non-public addresses: which range, for the reason. */
  special?: string;
  loopback: boolean;
}

// WHATWG has already rewritten every IPv4 spelling (2130706433, 0x7f.1, 0177.0.0.1) to this.
const IPV4 = /^\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}$/;

function toIPv4(host: string): number {
  return host.split('.').reduce((n, octet) => n * 256 + Number(octet), 0);
}

// [network, prefix length, what]. Public addresses are not in here, but every IP literal
// still needs an exact entry; the range only makes the reason say why it is dangerous.
const IPV4_SPECIAL: ReadonlyArray<readonly [string, number, string]> = [
  ['0.0.0.0', 8, 'unspecified / "this network" 0/8'],
  ['10.0.0.0', 8, 'private 10/8'],
  ['100.64.0.0', 10, 'carrier-grade NAT 100.64/10'],
  ['127.0.0.0', 8, 'loopback 127/8'],
  ['169.254.0.0', 16, 'link-local 169.254/16, incl. cloud metadata 169.254.169.254'],
  ['172.16.0.0', 12, 'private 172.16/12'],
  ['192.0.0.0', 24, 'IETF protocol assignments 192.0.0/24'],
  ['192.168.0.0', 16, 'private 192.168/16'],
  ['198.18.0.0', 15, 'benchmarking 198.18/15'],
  ['224.0.0.0', 4, 'multicast 224/4'],
  ['240.0.0.0', 4, 'reserved / broadcast 240/4'],
];

function classifyIPv4(ip: number): IpClass {
  const hit = IPV4_SPECIAL.find(([net, bits]) => Math.floor(ip / 2 ** (32 - bits)) === Math.floor(toIPv4(net) / 2 ** (32 - bits)));
  return hit ? { special: hit[2], loopback: hit[0] === '127.0.0.0' } : { loopback: false };
}

/** Eight 16-bit groups, or undefined. WHATWG serialises IPv6 as compressed hex, no dotted tail. */
function parseIPv6(text: string): number[] | undefined {
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const [head = [], tail = []] = halves.map((h) => (h === '' ? [] : h.split(':')));
  const gap = 8 - head.length - tail.length;
  if (halves.length === 1 ? gap !== 0 : gap < 1) return undefined;
  const all = [...head, ...Array<string>(halves.length === 2 ? gap : 0).fill('0'), ...tail];
  return all.every((g) => /^[0-9a-f]{1,4}$/i.test(g)) ? all.map((g) => parseInt(g, 16)) : undefined;
}

function classifyIPv6(text: string): IpClass {
  const g = parseIPv6(text);
  if (!g) return { special: 'unrecognised IPv6 form, treated as private', loopback: false }; // fail closed
  const zeros = (from: number, to: number) => g.slice(from, to).every((x) => x === 0);
  const at = (i: number) => g[i] ?? 0;
  // Forms that carry an IPv4 address in their last 32 bits (or bits 16-47 for 6to4) reach
  // that address, so they are as dangerous as it is.
  const embedded = (how: string, hi: number, lo: number, loopbackIfV4Loopback: boolean): IpClass => {
    const v4 = hi * 65536 + lo;
    const inner = classifyIPv4(v4);
    const dotted = [v4 >>> 24, (v4 >>> 16) & 255, (v4 >>> 8) & 255, v4 & 255].join('.');
    return inner.special ? { special: `${how} ${dotted}: ${inner.special}`, loopback: loopbackIfV4Loopback && inner.loopback } : { loopback: false };
  };
  if (zeros(0, 8)) return { special: 'unspecified ::', loopback: false };
  if (zeros(0, 7) && at(7) === 1) return { special: 'loopback ::1', loopback: true };
  if (zeros(0, 5) && at(5) === 0xffff) return embedded('IPv4-mapped', at(6), at(7), true); // ::ffff:a.b.c.d
  if (zeros(0, 4) && at(4) === 0xffff && at(5) === 0) return embedded('IPv4-translated', at(6), at(7), false);
  if (zeros(0, 6)) return { special: 'deprecated IPv4-compatible ::/96', loopback: false };
  if (at(0) === 0x64 && at(1) === 0xff9b && zeros(2, 6)) return embedded('NAT64', at(6), at(7), false);
  if (at(0) === 0x64 && at(1) === 0xff9b && at(2) === 1) return { special: 'local-use NAT64 64:ff9b:1::/48', loopback: false };
  if (at(0) === 0x2002) return embedded('6to4', at(1), at(2), false);
  if (at(0) === 0x100 && zeros(1, 4)) return { special: 'discard-only 100::/64', loopback: false };
  const top = at(0);
  if ((top & 0xfe00) === 0xfc00) return { special: 'unique-local fc00::/7', loopback: false };
  if ((top & 0xffc0) === 0xfe80) return { special: 'link-local fe80::/10', loopback: false };
  if ((top & 0xffc0) === 0xfec0) return { special: 'site-local fec0::/10', loopback: false };
  if ((top & 0xff00) === 0xff00) return { special: 'multicast ff00::/8', loopback: false };
  return { loopback: false };
}
