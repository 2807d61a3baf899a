// Validation of `permissions.http_hosts` entries. Pure: the manifest validator uses it, and
// the allowlist in the network layer can rely on every stored entry having passed it.

export interface HostPatternError {
  ok: false;
  /** Short rule id, e.g. "host-ip". */
  rule: string;
  /** Why the entry is rejected, as a clause to follow the entry in a sentence. */
  reason: string;
}

export type HostPatternResult = { ok: true; pattern: string } | HostPatternError;

/** Loopback hosts are the one exception to SoundTime's "no IPs" rule: local test servers. */
export const LOOPBACK_HOSTS: readonly string[] = ['localhost', '127.0.0.1', '[::1]'];

const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
// The URL parser turns a host whose last label is numeric into an IPv4 address
// ("1.2.3" becomes 1.2.0.3, "0x7f.1" becomes 127.0.0.1), so such names are IPs in disguise.
const NUMERIC_LABEL = /^(?:0x[0-9a-f]*|\d+)$/;

const fail = (rule: string, reason: string): HostPatternError => ({ ok: false, rule, reason });

const IP_REASON = 'IP addresses are not allowed; use a host name (only the loopback hosts localhost, 127.0.0.1 and [::1] may be listed as such)';

/**
 * Checks one entry: `*`, a host name, or `*.` followed by a host name, each optionally with
 * `:port`. Returns the entry normalised to lowercase, or the rule it breaks and why.
 */
export function checkHostPattern(entry: string): HostPatternResult {
  if (entry === '') return fail('host-empty', 'the entry is empty');
  if (/\s/.test(entry)) return fail('host-whitespace', 'a host cannot contain spaces');
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(entry)) {
    return fail('host-scheme', 'list the host only, without a scheme such as "https://"');
  }
  if (entry.includes('@')) return fail('host-userinfo', 'a host cannot contain a user name ("@")');
  if (/[/?#]/.test(entry)) return fail('host-path', 'list the host only, without a path, query or fragment');
  if (entry === '*') return { ok: true, pattern: '*' };
  const split = splitPort(entry.toLowerCase());
  if (!split.ok) return split;
  const hostError = checkHost(split.host);
  if (hostError) return hostError;
  return { ok: true, pattern: split.port === undefined ? split.host : `${split.host}:${split.port}` };
}

type SplitResult = { ok: true; host: string; port?: number } | HostPatternError;

function splitPort(entry: string): SplitResult {
  const bracketed = /^(\[[^\]]*\])(?::([^:]*))?$/.exec(entry);
  if (bracketed) return withPort(bracketed[1] ?? '', bracketed[2]);
  const colons = entry.split(':').length - 1;
  if (colons > 1) return fail('host-ip', IP_REASON);
  if (colons === 0) return { ok: true, host: entry };
  const [host = '', port] = entry.split(':');
  return withPort(host, port);
}

function withPort(host: string, port: string | undefined): SplitResult {
  if (port === undefined) return { ok: true, host };
  const n = /^\d{1,5}$/.test(port) ? Number(port) : NaN;
  if (!(n >= 1 && n <= 65535)) {
    return fail('host-port', 'the port must be a number from 1 to 65535');
  }
  return { ok: true, host, port: n };
}

function checkHost(host: string): HostPatternError | undefined {
  if (LOOPBACK_HOSTS.includes(host)) return undefined;
  if (host.startsWith('[')) return fail('host-ip', IP_REASON);
  const wildcard = host.startsWith('*.');
  const name = wildcard ? host.slice(2) : host;
  if (name.includes('*')) {
    return fail('host-wildcard', 'the only wildcards allowed are "*" on its own and a leading "*."');
  }
  const labels = name.split('.');
  if (NUMERIC_LABEL.test(labels[labels.length - 1] ?? '')) return fail('host-ip', IP_REASON);
  if (name.length > 253 || !labels.every((label) => LABEL.test(label))) {
    return fail(
      'host-name',
      'a host name is dot-separated labels of 1-63 letters, digits or dashes, not starting or ending with a dash, 253 characters at most',
    );
  }
  if (wildcard && labels.length < 2) {
    // "*.com" would grant a whole top-level domain: ask for "*" explicitly instead.
    return fail('host-wildcard', 'a "*." wildcard must be followed by at least two labels, e.g. "*.example.com"');
  }
  return undefined;
}
