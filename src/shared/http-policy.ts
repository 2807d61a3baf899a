// The HTTP allowlist decision for the fetch proxy (DESIGN.md §6): pure, deny by default.
// We decide only on what `new URL(raw)` parsed — never on the raw string — because the
// browser's WHATWG parser is what the request will actually use: it has already stripped
// tabs/newlines, turned `\` into `/`, lowercased, mapped IDN (incl. full-width) to punycode,
// percent-decoded the host and rewritten decimal/hex/octal/short IPv4 as dotted decimal.
// Out of reach here: a public name that resolves to a private address (DNS rebinding,
// nip.io); Chromium's Private Network Access checks are the backstop for that.
import { compileAllowlist, domainGrants, type CompiledAllowlist, type Grant } from './allowlist.ts';
import { LOOPBACK_IPS } from './host-pattern.ts';
import { classifyIp, type IpClass } from './ip-address.ts';
import { MAX_REASON_HOSTS_SHOWN, MAX_REASON_URL_CHARS } from './limits.ts';
import { localName } from './special-names.ts';

export { compileAllowlist, type CompiledAllowlist } from './allowlist.ts';

export interface HttpDecision {
  allowed: boolean;
  /** A full sentence the plugin author can act on. */
  reason: string;
  /** The parsed URL, when parsing succeeded (also on denials). */
  url?: URL;
  /** The http_hosts entry that allowed the request, as written in the manifest. */
  matchedEntry?: string;
}

const DEFAULT_PORT: Record<string, number> = { 'https:': 443, 'http:': 80 };

type HostClass = { kind: 'name' } | { kind: 'local-name'; what: string; loopback: boolean } | ({ kind: 'ip' } & IpClass) | { kind: 'invalid'; what: string };

/**
 * Decides one request. `allowlist` is the plugin's http_hosts, parsed by the same rules as the
 * manifest (host-pattern.ts); an entry those rules refuse is ignored, and the reason says so.
 */
export function decideHttp(rawUrl: string, allowlist: readonly string[] | CompiledAllowlist): HttpDecision {
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

  const compiled = 'exact' in allowlist ? allowlist : compileAllowlist(allowlist);
  const { host, stripped } = stripTrailingDot(url.hostname);
  const dotNote = stripped ? ` (the trailing dot in '${url.hostname}' was ignored)` : '';
  const port = url.port === '' ? defaultPort : Number(url.port);
  const cls = classifyHost(host);
  const portOk = (e: Grant) => (e.port ?? defaultPort) === port;
  const allow = (e: Grant, how: string): HttpDecision => ({
    allowed: true,
    reason: `'${host}' ${how} http_hosts entry '${e.raw}'${dotNote}`,
    url,
    matchedEntry: e.raw,
  });
  const denyWith = (why: string) => deny(why + dotNote + compiled.ignoredNote, url);

  if (cls.kind === 'invalid') return denyWith(`host '${host}' is not a valid DNS name (${cls.what})`);

  const exact = compiled.exact.get(host) ?? [];
  const exactHit = exact.find(portOk);
  const loopback = cls.kind !== 'name' && cls.loopback;
  if (url.protocol === 'http:' && !(loopback && exactHit)) {
    if (!loopback) {
      return denyWith(`scheme 'http:' is not allowed for '${host}'; use https (plain http is only for a loopback host listed exactly in http_hosts)`);
    }
    if (exact.length === 0) {
      const example = url.port === '' ? host : `${host}:${port}`;
      const noun = cls.kind === 'ip' ? 'address' : 'host name';
      const how = listable(cls, host) ? `list it exactly in http_hosts (as '${example}') to allow plain http to it` : UNLISTABLE_IP;
      return denyWith(`'${host}' is a loopback ${noun}; ${how}`);
    }
  }
  if (exactHit) return allow(exactHit, 'matches');

  const sub = domainGrants(compiled, host);
  // IP literals and local or special-use names: wildcards never reach them, only an exact entry does.
  if (cls.kind !== 'name') {
    if (exact.length > 0) return denyWith(portReason(port, url.port === '', host, exact));
    if (cls.kind === 'local-name') {
      // Without a wildcard that seems to cover it, the plain reason is the true one.
      if (sub.length === 0 && compiled.any.length === 0) {
        return denyWith(`${notListed(host, compiled)} ('${host}' is ${cls.what}: only an exact entry reaches it)`);
      }
      return denyWith(`'${host}' is ${cls.what}, which "*" and "*." entries never reach; list it exactly in http_hosts to allow it`);
    }
    const what = cls.special ? `is a private or loopback address (${cls.special})` : 'is an IP address, which wildcards never reach';
    return denyWith(`'${host}' ${what}; ${listable(cls, host) ? 'list it exactly in http_hosts to allow it' : UNLISTABLE_IP}`);
  }

  const subHit = sub.find(portOk);
  if (subHit) return allow(subHit, 'is covered by');
  const anyHit = compiled.any.find(portOk);
  if (anyHit) return allow(anyHit, 'is a public host name, allowed by');
  const candidates = [...exact, ...sub, ...compiled.any];
  if (candidates.length > 0) return denyWith(portReason(port, url.port === '', host, candidates));
  const idn = host.split('.').some((l) => l.startsWith('xn--'))
    ? ` ('${host}' is the punycode form of a non-ASCII name; look-alike letters make a different host)`
    : '';
  return denyWith(`${notListed(host, compiled)}${idn}`);
}

function notListed(host: string, compiled: CompiledAllowlist): string {
  return `host '${host}' is not in http_hosts ${showList(compiled.list)}`;
}

// The manifest refuses IP entries other than loopback (host-pattern.ts), so advising to list
// one would send the author to a refusal.
const UNLISTABLE_IP = `http_hosts cannot list IP addresses other than ${LOOPBACK_IPS.join(' and ')}, so request it by host name`;

function listable(cls: HostClass, host: string): boolean {
  return cls.kind !== 'ip' || LOOPBACK_IPS.includes(host);
}

function deny(reason: string, url?: URL): HttpDecision {
  return url ? { allowed: false, reason, url } : { allowed: false, reason };
}

function portReason(port: number, isDefault: boolean, host: string, entries: readonly Grant[]): string {
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
  return JSON.stringify(raw.length > MAX_REASON_URL_CHARS ? `${raw.slice(0, MAX_REASON_URL_CHARS)}…` : raw);
}

function showList(list: readonly string[]): string {
  const shown = JSON.stringify(list.slice(0, MAX_REASON_HOSTS_SHOWN));
  return list.length > MAX_REASON_HOSTS_SHOWN ? `${shown.slice(0, -1)}, … ${list.length - MAX_REASON_HOSTS_SHOWN} more]` : shown;
}

function classifyHost(host: string): HostClass {
  const ip = classifyIp(host);
  if (ip !== undefined) return { kind: 'ip', ...ip };
  // After IDNA everything is ASCII; WHATWG still lets through characters DNS cannot carry
  // (e.g. '*', '!', '~') and empty labels ('a..b').
  const labels = host.split('.');
  if (labels.some((l) => l === '')) return { kind: 'invalid', what: 'it has an empty label' };
  if (!labels.every((l) => /^[a-z0-9_-]+$/.test(l))) {
    return { kind: 'invalid', what: 'only letters, digits, - and _ are allowed' };
  }
  const local = localName(host);
  return local ? { kind: 'local-name', what: local.what, loopback: local.loopback } : { kind: 'name' };
}
