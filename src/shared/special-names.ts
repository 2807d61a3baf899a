// Host names that are not public: they resolve (or may resolve) inside the user's machine or
// network, or nowhere at all. `*` and `*.domain` never reach them; only an http_hosts entry
// naming the exact host does. The manifest validator and the fetch proxy both ask here, so
// this list is the one place that says which names count.

export interface LocalName {
  /** What kind of name it is, as a phrase: "a loopback host name", "a local … name (.lan)". */
  what: string;
  /** The suffix that made it special, without the leading dot; absent for single-label names. */
  suffix?: string;
  /** Resolves to this machine (plain http is allowed only to such a host, listed exactly). */
  loopback: boolean;
}

const LOCAL = 'a local or internal host name';
const RESERVED = 'a name reserved for testing and documentation';
const OFF_DNS = 'a name outside the public DNS';
const CLUSTER = 'a service-discovery name inside a cluster';

// [suffix, what]. A name matches when it is the suffix itself or ends in "." + suffix.
const SPECIAL_SUFFIXES: ReadonlyArray<readonly [string, string]> = [
  ['localhost', 'a loopback host name'], // RFC 6761: always this machine, and browsers resolve it so
  ['localdomain', LOCAL], // the usual /etc/hosts alias of localhost
  ['test', RESERVED], // RFC 6761
  ['example', RESERVED], // RFC 6761
  ['invalid', RESERVED], // RFC 6761: guaranteed never to resolve, unless a local resolver says otherwise
  ['local', 'a local network (mDNS) name'], // RFC 6762: printers, NAS boxes, routers
  ['internal', LOCAL], // ICANN's private-use TLD; cloud metadata is metadata.google.internal
  ['home.arpa', LOCAL], // RFC 8375: home networks
  ['lan', LOCAL], // undelegated; what home routers hand out
  ['home', LOCAL], // undelegated; ICANN name-collision list
  ['corp', LOCAL], // undelegated; ICANN name-collision list
  ['intranet', LOCAL], // undelegated; intranets
  ['private', LOCAL], // undelegated; intranets
  ['alt', OFF_DNS], // RFC 9476: for non-DNS name systems
  ['onion', OFF_DNS], // RFC 7686: Tor
  ['consul', CLUSTER], // HashiCorp Consul's default domain
  ['svc', CLUSTER], // Kubernetes services: name.namespace.svc(.cluster.local)
];

/**
 * Why `host` (lowercase ASCII, no trailing dot, not an IP) is not a public name, or undefined
 * when it is one. A dotless name counts too: the resolver completes it with the search domain.
 */
export function localName(host: string): LocalName | undefined {
  for (const [suffix, what] of SPECIAL_SUFFIXES) {
    if (host === suffix || host.endsWith(`.${suffix}`)) {
      return { what: `${what} (.${suffix})`, suffix, loopback: host === 'localhost' };
    }
  }
  if (!host.includes('.')) return { what: 'a single-label (intranet) host name', loopback: false };
  return undefined;
}

/** The suffixes, for tests and documentation. */
export const SPECIAL_USE_SUFFIXES: readonly string[] = SPECIAL_SUFFIXES.map(([suffix]) => suffix);
