// What an IP literal in a request reaches. Every IP literal needs an exact http_hosts entry;
// the range only lets the reason say why reaching it is dangerous, and tells loopback apart
// (plain http is allowed only to loopback).

export interface IpClass {
  /** Set for non-public addresses: which range, for the reason. */
  special?: string;
  loopback: boolean;
}

// WHATWG has already rewritten every IPv4 spelling (2130706433, 0x7f.1, 0177.0.0.1) to this.
const IPV4 = /^\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}$/;

/**
 * The class of `host` (a hostname as the WHATWG parser serialised it) when it is an IP
 * literal, else undefined.
 */
export function classifyIp(host: string): IpClass | undefined {
  if (host.startsWith('[')) return classifyIPv6(host.slice(1, -1));
  return IPV4.test(host) ? classifyIPv4(toIPv4(host)) : undefined;
}

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
