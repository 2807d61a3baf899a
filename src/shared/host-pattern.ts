// The one parser for `permissions.http_hosts` entries. The manifest validator refuses what it
// refuses, and the fetch proxy enforces exactly what it returns, so an entry the manifest
// accepts is never silently ignored by the proxy (and the other way round).
import { localName } from './special-names.ts';

/** A parsed entry. `port` absent: only the scheme's default port. */
export type HostPattern =
  /** `*`: any public host name (never an IP literal, a local name or a special-use name). */
  | { kind: 'any' }
  /** `api.example.com[:port]`: that host only. Lowercase, punycode, no trailing dot. */
  | { kind: 'exact'; host: string; port?: number }
  /** `*.example.com[:port]`: example.com and every subdomain of it, if they are public names. */
  | { kind: 'domain'; domain: string; port?: number };

export interface HostPatternIssue {
  /** Short rule id, e.g. "host-ip". */
  rule: string;
  /** Why, as a clause to follow the entry in a sentence. */
  reason: string;
}

export type HostPatternResult =
  | { ok: true; pattern: HostPattern; /** The entry as stored: `formatHostPattern(pattern)`. */ text: string; warnings: HostPatternIssue[] }
  | ({ ok: false } & HostPatternIssue);

/** Loopback hosts are the one exception to SoundTime's "no IPs" rule: local test servers. */
export const LOOPBACK_HOSTS: readonly string[] = ['localhost', '127.0.0.1', '[::1]'];
/** The IP literals an entry may name. */
export const LOOPBACK_IPS: readonly string[] = ['127.0.0.1', '[::1]'];

const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
// The URL parser turns a host whose last label is numeric into an IPv4 address
// ("1.2.3" becomes 1.2.0.3, "0x7f.1" becomes 127.0.0.1), so such names are IPs in disguise.
const NUMERIC_LABEL = /^(?:0x[0-9a-f]*|\d+)$/i;
const IPV4 = /^\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}$/;

const IP_REASON = 'IP addresses are not allowed; use a host name (only the loopback hosts localhost, 127.0.0.1 and [::1] may be listed as such)';

const fail = (rule: string, reason: string): HostPatternResult => ({ ok: false, rule, reason });

export function formatHostPattern(pattern: HostPattern): string {
  if (pattern.kind === 'any') return '*';
  const host = pattern.kind === 'exact' ? pattern.host : `*.${pattern.domain}`;
  return pattern.port === undefined ? host : `${host}:${pattern.port}`;
}

/**
 * Parses one entry: `*`, a host name, or `*.` followed by a host name, the last two optionally
 * with `:port`. Hosts are normalised the way the browser normalises request hosts (lowercase,
 * IDN to punycode), so matching compares like with like.
 */
export function parseHostPattern(entry: string): HostPatternResult {
  if (entry === '') return fail('host-empty', 'the entry is empty');
  if (/\s/.test(entry)) return fail('host-whitespace', 'a host cannot contain spaces');
  const scheme = /^[a-z][a-z0-9+.-]*:\/\/([^/?#]*)/i.exec(entry);
  if (scheme) return fail('host-scheme', `list the host only, without a scheme such as "https://" (e.g. "${scheme[1]}")`);
  if (entry.includes('@')) return fail('host-userinfo', 'a host cannot contain a user name ("@")');
  // A backslash is a path separator to the URL parser: "a.com\\b.com" is the host a.com.
  if (/[/?#\\]/.test(entry)) return fail('host-path', 'list the host only, without a path, query or fragment');
  if (entry.includes('%')) return fail('host-name', 'percent-encoding is not allowed in a host; write the characters themselves');
  if (entry === '*') return { ok: true, pattern: { kind: 'any' }, text: '*', warnings: [] };
  if (entry.startsWith('*:')) {
    return fail('host-wildcard', '"*" cannot take a port; list each "host:port" you need (a "*" entry allows the default port only)');
  }

  const split = splitPort(entry);
  if ('rule' in split) return fail(split.rule, split.reason);
  const wildcard = split.host.startsWith('*.');
  const written = (wildcard ? split.host.slice(2) : split.host).toLowerCase();
  if (written.includes('*')) {
    return fail('host-wildcard', 'the only wildcards allowed are "*" on its own and a leading "*."');
  }
  if (written.endsWith('.')) return fail('host-name', `a host cannot end in a dot; write "${written.replace(/\.+$/, '')}"`);

  const host = normalise(written);
  if (host === undefined) {
    if (NUMERIC_LABEL.test(written.slice(written.lastIndexOf('.') + 1))) return fail('host-ip', IP_REASON);
    return fail('host-name', 'it is not a valid host name');
  }
  if (host.startsWith('[') || IPV4.test(host)) return checkIp(written, host, wildcard, split.port);

  const labels = host.split('.');
  if (host.length > 253 || !labels.every((label) => LABEL.test(label))) {
    return fail(
      'host-name',
      'a host name is dot-separated labels of 1-63 letters, digits or dashes, not starting or ending with a dash, 253 characters at most',
    );
  }
  const warnings: HostPatternIssue[] = [];
  if (host !== written) {
    warnings.push({ rule: 'host-punycode', reason: `is stored as "${host}", the form DNS uses; a look-alike letter would make a different host` });
  }
  const local = localName(host);
  const port = split.port === undefined ? {} : { port: split.port };
  if (wildcard) {
    // Checked before the label count, so "*.test" says why it is refused, not that it is broad.
    if (local?.suffix !== undefined) {
      const reason = `"*." reaches only public names, and ${host} is ${local.what}; list each host you need exactly, e.g. "api.${host}"`;
      return fail('host-special', reason);
    }
    if (labels.length < 2) {
      // "*.com" would grant a whole top-level domain: ask for "*" explicitly instead.
      return fail('host-wildcard', 'a "*." wildcard must be followed by at least two labels, e.g. "*.example.com"');
    }
    const pattern: HostPattern = { kind: 'domain', domain: host, ...port };
    return { ok: true, pattern, text: formatHostPattern(pattern), warnings };
  }
  if (local) {
    warnings.push({
      rule: 'host-special',
      reason: `is ${local.what}, not a public host name: only this exact entry reaches it ("*" and "*." entries never do)`,
    });
  }
  const pattern: HostPattern = { kind: 'exact', host, ...port };
  return { ok: true, pattern, text: formatHostPattern(pattern), warnings };
}

function checkIp(written: string, host: string, wildcard: boolean, port: number | undefined): HostPatternResult {
  if (wildcard) return fail('host-ip', 'a "*." wildcard cannot stand before an IP address; IP addresses are not allowed');
  if (!LOOPBACK_IPS.includes(host)) return fail('host-ip', IP_REASON);
  if (written !== host) return fail('host-ip', `it is ${host} written another way; write "${host}"`);
  const pattern: HostPattern = { kind: 'exact', host, ...(port === undefined ? {} : { port }) };
  return { ok: true, pattern, text: formatHostPattern(pattern), warnings: [] };
}

/** The browser's own normalisation of a host (lowercase, IDNA, IPv4 forms), or undefined. */
function normalise(host: string): string | undefined {
  try {
    return new URL(`https://${host}/`).hostname;
  } catch {
    return undefined;
  }
}

type Split = { host: string; port?: number } | HostPatternIssue;

function splitPort(entry: string): Split {
  const bracketed = /^(\[[^\]]*\])(?::([^:]*))?$/.exec(entry);
  if (bracketed) return withPort(bracketed[1] ?? '', bracketed[2]);
  const colons = entry.split(':').length - 1;
  if (colons > 1 || entry.startsWith('[')) return { rule: 'host-ip', reason: IP_REASON };
  if (colons === 0) return { host: entry };
  const [host = '', port] = entry.split(':');
  return withPort(host, port);
}

function withPort(host: string, port: string | undefined): Split {
  if (port === undefined) return { host };
  const n = /^\d{1,5}$/.test(port) ? Number(port) : NaN;
  if (!(n >= 1 && n <= 65535)) return { rule: 'host-port', reason: 'the port must be a number from 1 to 65535' };
  return { host, port: n };
}
