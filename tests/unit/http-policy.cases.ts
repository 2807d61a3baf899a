// The HTTP allowlist table (DESIGN.md §6). Plain data with no Node or vitest imports, so the
// same table can run under vitest (Node's WHATWG URL) and in Chromium (the browser's URL).
// Every expected verdict follows the host the WHATWG parser produces — that is where the
// request would really go — never what the raw string seems to say.
// Where Chromium could parse differently from Node, the case says so and why the verdict
// holds either way.

export interface HttpPolicyCase {
  url: string;
  allowlist: readonly string[];
  allowed: boolean;
  /** A substring the decision's reason must contain. */
  reasonIncludes?: string;
  /** Why the case exists (shown in the test name). */
  note: string;
}

const NONE: readonly string[] = [];
const LYRICS = ['api.lyrics.ovh'] as const;
const SUB = ['*.example.com'] as const;
const ANY = ['*'] as const;
const LOOP = ['127.0.0.1:8080'] as const;

const NOT_ABSOLUTE = 'not an absolute URL';
const CREDENTIALS = 'credentials in the URL (user@host) are not allowed';
const PRIVATE = 'is a private or loopback address';
const IP_ONLY_EXACT = 'is an IP address, which wildcards never reach';
const NEVER_WILD = 'which "*" and "*." entries never reach';

export const HTTP_POLICY_CASES: readonly HttpPolicyCase[] = [
  // --- the plain cases -------------------------------------------------------------------
  {
    url: 'https://api.lyrics.ovh/v1/coldplay/yellow',
    allowlist: LYRICS,
    allowed: true,
    reasonIncludes: "matches http_hosts entry 'api.lyrics.ovh'",
    note: 'listed host',
  },
  {
    url: 'https://api.lyrics.ovh/v1/coldplay/yellow',
    allowlist: NONE,
    allowed: false,
    reasonIncludes: "host 'api.lyrics.ovh' is not in http_hosts []",
    note: 'empty allowlist denies everything',
  },
  {
    url: 'https://evil.com/',
    allowlist: LYRICS,
    allowed: false,
    reasonIncludes: `host 'evil.com' is not in http_hosts ["api.lyrics.ovh"]`,
    note: 'unlisted host',
  },
  { url: 'https://lyrics.ovh/', allowlist: LYRICS, allowed: false, note: 'an exact entry does not cover its parent' },
  { url: 'https://x.api.lyrics.ovh/', allowlist: LYRICS, allowed: false, note: 'an exact entry does not cover subdomains' },
  { url: 'https://api.lyrics.ovh.evil.com/', allowlist: LYRICS, allowed: false, note: 'listed host as a prefix of another domain' },
  { url: 'https://api.lyrics.ovh/', allowlist: LOOP, allowed: false, note: 'a loopback entry does not allow public hosts' },

  // --- case and full-width forms: IDNA maps them, so the parsed host is the listed one ----
  { url: 'HTTPS://API.LYRICS.OVH/', allowlist: LYRICS, allowed: true, note: 'upper case is lowercased by the parser' },
  { url: 'https://ＡＰＩ.lyrics.ovh/', allowlist: LYRICS, allowed: true, note: 'full-width letters map to ASCII (IDNA): the request goes to api.lyrics.ovh' },
  { url: 'https://api．lyrics．ovh/', allowlist: LYRICS, allowed: true, note: 'full-width full stops map to "."' },
  { url: 'https://api。lyrics。ovh/', allowlist: LYRICS, allowed: true, note: 'ideographic full stops map to "."' },
  { url: 'https://ＥＶＩＬ.com/', allowlist: LYRICS, allowed: false, reasonIncludes: "host 'evil.com'", note: 'full-width unlisted host is still that host' },
  { url: 'https://example.com\u200b/', allowlist: SUB, allowed: true, note: 'zero-width space is ignored by IDNA' },
  { url: 'https://ex\u00adample.com/', allowlist: SUB, allowed: true, note: 'soft hyphen is ignored by IDNA' },
  { url: 'https://example.com．evil.com/', allowlist: SUB, allowed: false, note: 'full-width dot makes example.com.evil.com' },

  // --- percent-encoding in the host: decoded before we see it ----------------------------
  { url: 'https://api%2Elyrics.ovh/', allowlist: LYRICS, allowed: true, note: '%2E decodes to "." in the host' },
  { url: 'https://api.lyrics%2eovh/', allowlist: LYRICS, allowed: true, note: 'lower-case %2e too' },
  { url: 'https://%65vil.com/', allowlist: LYRICS, allowed: false, reasonIncludes: "host 'evil.com'", note: '%65 decodes to e' },
  {
    url: 'https://api.lyrics.ovh%2F@evil.com/',
    allowlist: LYRICS,
    allowed: false,
    reasonIncludes: CREDENTIALS,
    note: 'encoded slash before @ is userinfo, host is evil.com',
  },
  {
    url: 'https://api.lyrics.ovh%00.evil.com/',
    allowlist: LYRICS,
    allowed: false,
    reasonIncludes: NOT_ABSOLUTE,
    note: 'encoded NUL in the host fails to parse',
  },
  // Node refuses to parse this; Chromium keeps `ex%20ample.com` as the host name, which the
  // DNS-name check then refuses. Denied either way, for different reasons.
  { url: 'https://ex%20ample.com/', allowlist: SUB, allowed: false, note: 'encoded space in the host: no parse (Node) or not a DNS name (Chromium)' },

  // --- tabs and newlines: WHATWG strips them anywhere in the URL -------------------------
  { url: 'https://api.ly\trics.ovh/x', allowlist: LYRICS, allowed: true, note: 'tab inside the host is stripped' },
  { url: 'https://api.lyrics.ovh\n/x', allowlist: LYRICS, allowed: true, note: 'newline after the host is stripped' },
  { url: 'ht\ttps://api.lyrics.ovh/', allowlist: LYRICS, allowed: true, note: 'tab inside the scheme is stripped' },
  {
    url: 'https://evil.com\t@api.lyrics.ovh/',
    allowlist: LYRICS,
    allowed: false,
    reasonIncludes: CREDENTIALS,
    note: 'tab before @: evil.com becomes userinfo',
  },
  {
    url: 'https://api.lyrics.ovh\r\n.evil.com/',
    allowlist: LYRICS,
    allowed: false,
    reasonIncludes: "host 'api.lyrics.ovh.evil.com'",
    note: 'CRLF is stripped, joining the host',
  },

  // --- backslashes: a "/" in special URLs ----------------------------------------------
  { url: 'https:\\\\evil.com', allowlist: LYRICS, allowed: false, reasonIncludes: "host 'evil.com'", note: 'https:\\\\evil.com is https://evil.com' },
  { url: 'https:\\\\api.lyrics.ovh\\x', allowlist: LYRICS, allowed: true, note: 'backslashes as slashes to a listed host' },
  {
    url: 'https://evil.com\\@api.lyrics.ovh',
    allowlist: LYRICS,
    allowed: false,
    reasonIncludes: "host 'evil.com'",
    note: 'backslash ends the host: @api.lyrics.ovh is path',
  },
  { url: 'https://api.lyrics.ovh\\@evil.com', allowlist: LYRICS, allowed: true, note: 'backslash ends the host: @evil.com is only path' },
  { url: 'https://evil.com\\.example.com', allowlist: SUB, allowed: false, note: 'backslash ends the host: .example.com is path' },

  // --- @ tricks ------------------------------------------------------------------------
  {
    url: 'https://api.lyrics.ovh@evil.com/',
    allowlist: LYRICS,
    allowed: false,
    reasonIncludes: CREDENTIALS,
    note: 'listed host as user name, host is evil.com',
  },
  { url: 'https://api.lyrics.ovh@evil.com/', allowlist: ANY, allowed: false, reasonIncludes: CREDENTIALS, note: 'credentials are denied even under *' },
  { url: 'https://api.lyrics.ovh:443@evil.com/', allowlist: LYRICS, allowed: false, reasonIncludes: CREDENTIALS, note: 'listed host:port as user:password' },
  { url: 'https://user:pass@api.lyrics.ovh/', allowlist: LYRICS, allowed: false, reasonIncludes: CREDENTIALS, note: 'credentials for a listed host' },
  { url: 'https://:pw@api.lyrics.ovh/', allowlist: LYRICS, allowed: false, reasonIncludes: CREDENTIALS, note: 'password without user name' },
  { url: 'https://@api.lyrics.ovh/', allowlist: LYRICS, allowed: true, note: 'an empty userinfo is dropped by the parser: no credentials are sent' },
  { url: 'https://example.com@evil.com/', allowlist: SUB, allowed: false, reasonIncludes: CREDENTIALS, note: 'wildcard base as user name' },

  // --- # and ? tricks ------------------------------------------------------------------
  {
    url: 'https://evil.com#@api.lyrics.ovh',
    allowlist: LYRICS,
    allowed: false,
    reasonIncludes: "host 'evil.com'",
    note: '# starts the fragment: host is evil.com',
  },
  {
    url: 'https://evil.com?@api.lyrics.ovh',
    allowlist: LYRICS,
    allowed: false,
    reasonIncludes: "host 'evil.com'",
    note: '? starts the query: host is evil.com',
  },
  { url: 'https://api.lyrics.ovh#@evil.com', allowlist: LYRICS, allowed: true, note: 'evil.com only in the fragment' },
  { url: 'https://api.lyrics.ovh?@evil.com', allowlist: LYRICS, allowed: true, note: 'evil.com only in the query' },
  { url: 'https://evil.com/?u=https://api.lyrics.ovh/', allowlist: LYRICS, allowed: false, note: 'listed URL inside the query' },
  { url: 'https://evil.com?.example.com', allowlist: SUB, allowed: false, note: 'wildcard suffix in the query' },
  { url: 'https://evil.com#.example.com', allowlist: SUB, allowed: false, note: 'wildcard suffix in the fragment' },
  { url: 'https://evil.com/.example.com', allowlist: SUB, allowed: false, note: 'wildcard suffix in the path' },

  // --- trailing dots: one is stripped for matching, and the reason says so -------------
  {
    url: 'https://api.lyrics.ovh./',
    allowlist: LYRICS,
    allowed: true,
    reasonIncludes: "trailing dot in 'api.lyrics.ovh.' was ignored",
    note: 'fully-qualified form of a listed host',
  },
  { url: 'https://api.lyrics.ovh。/', allowlist: LYRICS, allowed: true, reasonIncludes: 'trailing dot', note: 'ideographic full stop as the trailing dot' },
  {
    url: 'https://api.lyrics.ovh../',
    allowlist: LYRICS,
    allowed: false,
    reasonIncludes: 'is not a valid DNS name',
    note: 'two trailing dots leave an empty label',
  },
  {
    url: 'https://evil.com./',
    allowlist: LYRICS,
    allowed: false,
    reasonIncludes: "host 'evil.com' is not in http_hosts",
    note: 'trailing dot on an unlisted host',
  },
  { url: 'https://example.com./', allowlist: SUB, allowed: true, note: 'trailing dot on a wildcard base' },

  // --- look-alikes and punycode --------------------------------------------------------
  {
    url: 'https://аpi.lyrics.ovh/',
    allowlist: LYRICS,
    allowed: false,
    reasonIncludes: "host 'xn--pi-6kc.lyrics.ovh'",
    note: 'Cyrillic а is a different host (punycode)',
  },
  { url: 'https://xn--pi-6kc.lyrics.ovh/', allowlist: LYRICS, allowed: false, reasonIncludes: 'punycode', note: 'the same look-alike spelled as punycode' },
  { url: 'https://аpi.lyrics.ovh/', allowlist: ANY, allowed: true, note: 'a look-alike is still a public host name, so * allows it' },
  { url: 'https://ехаmple.com/', allowlist: SUB, allowed: false, note: 'Cyrillic е х а: not example.com' },
  { url: 'https://ѕub.example.com/', allowlist: SUB, allowed: true, note: 'non-ASCII label under example.com is still its subdomain' },
  // Node (and the WHATWG spec) use non-transitional IDNA: ß → xn--zca. Under transitional
  // processing it would be "ss"; either way it is a subdomain of example.com.
  { url: 'https://ß.example.com/', allowlist: SUB, allowed: true, note: 'ß label under example.com' },

  // --- IPv4 in any spelling: WHATWG rewrites it to dotted decimal ----------------------
  { url: 'http://2130706433/', allowlist: NONE, allowed: false, reasonIncludes: "'127.0.0.1' is a loopback address", note: 'decimal IPv4 over http' },
  { url: 'https://2130706433/', allowlist: ANY, allowed: false, reasonIncludes: `'127.0.0.1' ${PRIVATE}`, note: 'decimal IPv4 under *' },
  { url: 'https://0x7f000001/', allowlist: ANY, allowed: false, reasonIncludes: "'127.0.0.1'", note: 'hex IPv4' },
  { url: 'https://0177.0.0.1/', allowlist: ANY, allowed: false, reasonIncludes: "'127.0.0.1'", note: 'octal IPv4' },
  { url: 'https://127.1/', allowlist: ANY, allowed: false, reasonIncludes: "'127.0.0.1'", note: 'short IPv4' },
  { url: 'https://0x7f.1/', allowlist: ANY, allowed: false, reasonIncludes: "'127.0.0.1'", note: 'short hex IPv4' },
  { url: 'https://127.0.0.1./', allowlist: ANY, allowed: false, reasonIncludes: "'127.0.0.1'", note: 'IPv4 with a trailing dot' },
  {
    url: 'http://2130706433:8080/',
    allowlist: LOOP,
    allowed: true,
    reasonIncludes: "entry '127.0.0.1:8080'",
    note: 'decimal spelling of the listed loopback: same address, same port',
  },
  { url: 'http://127.1:8080/', allowlist: LOOP, allowed: true, note: 'short spelling of the listed loopback' },
  { url: 'https://0/', allowlist: ANY, allowed: false, reasonIncludes: "'0.0.0.0'", note: '"0" is 0.0.0.0' },
  {
    url: 'https://0.0.0.0/',
    allowlist: ANY,
    allowed: false,
    reasonIncludes: `'0.0.0.0' ${PRIVATE}`,
    note: '0.0.0.0 reaches the local machine on many systems',
  },
  { url: 'http://0.0.0.0:8080/', allowlist: LOOP, allowed: false, reasonIncludes: 'use https', note: '0.0.0.0 is not the listed 127.0.0.1' },
  {
    url: 'https://10.0.0.1/',
    allowlist: ANY,
    allowed: false,
    reasonIncludes: `'10.0.0.1' ${PRIVATE} (private 10/8); http_hosts cannot list IP addresses other than 127.0.0.1 and [::1], so request it by host name`,
    note: '* never reaches private 10/8',
  },
  { url: 'https://172.16.5.4/', allowlist: ANY, allowed: false, reasonIncludes: 'private 172.16/12', note: 'private 172.16/12' },
  {
    url: 'https://172.32.0.1/',
    allowlist: ANY,
    allowed: false,
    reasonIncludes: IP_ONLY_EXACT,
    note: 'just outside 172.16/12: public, but still an IP literal',
  },
  { url: 'https://192.168.1.1/', allowlist: ANY, allowed: false, reasonIncludes: 'private 192.168/16', note: 'home router' },
  { url: 'https://169.254.169.254/latest/meta-data/', allowlist: ANY, allowed: false, reasonIncludes: 'cloud metadata', note: 'cloud metadata service' },
  { url: 'https://2852039166/', allowlist: ANY, allowed: false, reasonIncludes: "'169.254.169.254'", note: 'metadata address in decimal' },
  { url: 'https://100.64.0.1/', allowlist: ANY, allowed: false, reasonIncludes: 'carrier-grade NAT', note: 'CGNAT 100.64/10' },
  { url: 'https://8.8.8.8/', allowlist: ANY, allowed: false, reasonIncludes: IP_ONLY_EXACT, note: 'public IP literals need an exact entry' },
  { url: 'https://8.8.8.8/', allowlist: LYRICS, allowed: false, reasonIncludes: 'request it by host name', note: 'public IP literal, not listed' },
  { url: 'https://10.0.0.1/', allowlist: SUB, allowed: false, reasonIncludes: PRIVATE, note: 'a subdomain wildcard never reaches IPs' },

  // --- IPv6 and IPv4-mapped IPv6 -------------------------------------------------------
  { url: 'https://[::1]/', allowlist: ANY, allowed: false, reasonIncludes: "'[::1]' is a private or loopback address (loopback ::1)", note: 'IPv6 loopback' },
  { url: 'http://[::1]:8080/', allowlist: LOOP, allowed: false, note: '[::1] is not the listed 127.0.0.1' },
  { url: 'https://[::]/', allowlist: ANY, allowed: false, reasonIncludes: 'unspecified', note: 'IPv6 unspecified' },
  { url: 'https://[::ffff:127.0.0.1]/', allowlist: ANY, allowed: false, reasonIncludes: "'[::ffff:7f00:1]'", note: 'IPv4-mapped loopback, dotted form' },
  { url: 'https://[::ffff:7f00:1]/', allowlist: ANY, allowed: false, reasonIncludes: 'IPv4-mapped 127.0.0.1', note: 'IPv4-mapped loopback, hex form' },
  { url: 'http://[::ffff:127.0.0.1]:8080/', allowlist: LOOP, allowed: false, note: 'mapped spelling is not the exact listed host' },
  { url: 'https://[::ffff:169.254.169.254]/', allowlist: ANY, allowed: false, reasonIncludes: 'cloud metadata', note: 'IPv4-mapped metadata address' },
  {
    url: 'https://[0:0:0:0:0:ffff:a9fe:a9fe]/',
    allowlist: ANY,
    allowed: false,
    reasonIncludes: "'[::ffff:a9fe:a9fe]'",
    note: 'uncompressed IPv4-mapped metadata address',
  },
  { url: 'https://[::ffff:0:7f00:1]/', allowlist: ANY, allowed: false, reasonIncludes: 'IPv4-translated', note: 'IPv4-translated loopback' },
  { url: 'https://[::127.0.0.1]/', allowlist: ANY, allowed: false, reasonIncludes: 'IPv4-compatible', note: 'deprecated IPv4-compatible form' },
  { url: 'https://[64:ff9b::a9fe:a9fe]/', allowlist: ANY, allowed: false, reasonIncludes: 'NAT64 169.254.169.254', note: 'NAT64 to the metadata address' },
  { url: 'https://[fc00::1]/', allowlist: ANY, allowed: false, reasonIncludes: 'unique-local', note: 'unique-local fc00::/7' },
  { url: 'https://[fd00:ec2::254]/', allowlist: ANY, allowed: false, reasonIncludes: 'unique-local', note: 'AWS IPv6 metadata address' },
  { url: 'https://[fe80::1]/', allowlist: ANY, allowed: false, reasonIncludes: 'link-local', note: 'IPv6 link-local' },
  { url: 'https://[fe80::1%25eth0]/', allowlist: ANY, allowed: false, reasonIncludes: NOT_ABSOLUTE, note: 'zone IDs do not parse in URLs' },
  { url: 'https://[2001:4860:4860::8888]/', allowlist: ANY, allowed: false, reasonIncludes: IP_ONLY_EXACT, note: 'public IPv6 literal needs an exact entry' },

  // --- localhost and local names -------------------------------------------------------
  { url: 'https://localhost/', allowlist: ANY, allowed: false, reasonIncludes: "'localhost' is a loopback host name", note: 'localhost under *' },
  { url: 'https://LOCALHOST/', allowlist: ANY, allowed: false, note: 'localhost in upper case' },
  { url: 'https://localhost./', allowlist: ANY, allowed: false, reasonIncludes: 'trailing dot', note: 'localhost with a trailing dot' },
  { url: 'https://foo.localhost/', allowlist: ANY, allowed: false, note: '*.localhost resolves to loopback in browsers' },
  { url: 'https://foo.localhost/', allowlist: SUB, allowed: false, note: '*.localhost under a subdomain wildcard' },
  { url: 'https://localhost.localdomain/', allowlist: ANY, allowed: false, note: 'localhost.localdomain (common /etc/hosts alias)' },
  {
    url: 'http://localhost:8080/',
    allowlist: LOOP,
    allowed: false,
    reasonIncludes: "'localhost' is a loopback host name",
    note: 'localhost is not the listed 127.0.0.1',
  },
  {
    url: 'https://metadata.google.internal/',
    allowlist: ANY,
    allowed: false,
    reasonIncludes: `'metadata.google.internal' is a local or internal host name (.internal), ${NEVER_WILD}; list it exactly`,
    note: 'GCP metadata name',
  },
  { url: 'https://METADATA.google.internal./', allowlist: ANY, allowed: false, note: 'metadata name, mixed case with a trailing dot' },
  { url: 'https://printer.local/', allowlist: ANY, allowed: false, reasonIncludes: '(.local)', note: 'mDNS name' },
  { url: 'https://router.home.arpa/', allowlist: ANY, allowed: false, reasonIncludes: '(.home.arpa)', note: 'home network name' },
  {
    url: 'https://nas/',
    allowlist: ANY,
    allowed: false,
    reasonIncludes: 'single-label',
    note: 'dotless name: completed by the search domain to an intranet host',
  },
  // A public name that resolves to a private address (nip.io, DNS rebinding) cannot be
  // caught by a decision on the URL alone; Chromium's Private Network Access checks are the
  // backstop. Recorded here so the limitation is explicit.
  { url: 'https://127.0.0.1.nip.io/', allowlist: ANY, allowed: true, note: 'KNOWN LIMIT: public name resolving to loopback' },

  // --- special-use and non-delegated names: never public, so * does not reach them -----
  { url: 'https://hooks.test/in', allowlist: ANY, allowed: false, reasonIncludes: `(.test), ${NEVER_WILD}`, note: '.test is reserved for testing (RFC 6761)' },
  { url: 'https://api.example/', allowlist: ANY, allowed: false, reasonIncludes: '(.example)', note: '.example is reserved for documentation' },
  { url: 'https://example/', allowlist: ANY, allowed: false, reasonIncludes: '(.example)', note: 'the bare reserved TLD itself' },
  { url: 'https://x.invalid/', allowlist: ANY, allowed: false, reasonIncludes: '(.invalid)', note: '.invalid never resolves publicly' },
  { url: 'https://nas.lan/', allowlist: ANY, allowed: false, reasonIncludes: '(.lan)', note: 'what home routers hand out' },
  { url: 'https://wiki.corp/', allowlist: ANY, allowed: false, reasonIncludes: '(.corp)', note: 'undelegated intranet TLD' },
  { url: 'https://files.private/', allowlist: ANY, allowed: false, reasonIncludes: '(.private)', note: 'undelegated intranet TLD' },
  { url: 'https://host.alt/', allowlist: ANY, allowed: false, reasonIncludes: '(.alt)', note: '.alt is for non-DNS name systems (RFC 9476)' },
  { url: 'https://duckduckgogg42xjoc72x3sjasowoarfbgcmvfimaftt6twagswzczad.onion/', allowlist: ANY, allowed: false, reasonIncludes: '(.onion)', note: 'Tor' },
  { url: 'https://db.service.consul/', allowlist: ANY, allowed: false, reasonIncludes: '(.consul)', note: 'Consul service discovery' },
  { url: 'https://web.default.svc/', allowlist: ANY, allowed: false, reasonIncludes: '(.svc)', note: 'a Kubernetes service' },
  { url: 'https://web.default.svc.cluster.local/', allowlist: ANY, allowed: false, reasonIncludes: '(.local)', note: 'a Kubernetes service, fully qualified' },
  { url: 'https://hooks.test/in', allowlist: ['hooks.test'], allowed: true, note: 'a special-use name listed exactly' },
  { url: 'https://hooks.test/in', allowlist: ['*.example.com', '*'], allowed: false, reasonIncludes: '(.test)', note: 'no wildcard reaches it' },
  { url: 'https://api.example.com/', allowlist: ANY, allowed: true, note: 'example.com is a delegated public name, unlike .example' },

  // --- ports ---------------------------------------------------------------------------
  { url: 'https://api.lyrics.ovh:443/', allowlist: LYRICS, allowed: true, note: 'explicit default port (the parser drops it)' },
  { url: 'https://api.lyrics.ovh:0443/', allowlist: LYRICS, allowed: true, note: 'default port with a leading zero' },
  {
    url: 'https://api.lyrics.ovh:8443/',
    allowlist: LYRICS,
    allowed: false,
    reasonIncludes: "port 8443 is not allowed for 'api.lyrics.ovh' (the entry allows only the default port)",
    note: 'other port on a listed host',
  },
  { url: 'https://api.lyrics.ovh:80/', allowlist: LYRICS, allowed: false, reasonIncludes: 'port 80 is not allowed', note: 'port 80 over https' },
  { url: 'https://api.lyrics.ovh:65536/', allowlist: LYRICS, allowed: false, reasonIncludes: NOT_ABSOLUTE, note: 'port out of range fails to parse' },
  { url: 'https://a.example.com:8443/', allowlist: SUB, allowed: false, reasonIncludes: 'port 8443 is not allowed', note: 'other port under a wildcard' },
  { url: 'https://a.example.com:443/', allowlist: SUB, allowed: true, note: 'explicit default port under a wildcard' },
  { url: 'https://evil.com:8443/', allowlist: ANY, allowed: false, reasonIncludes: 'port 8443 is not allowed', note: '* allows only the default port' },

  // --- schemes -------------------------------------------------------------------------
  { url: 'data:text/plain,hi', allowlist: ANY, allowed: false, reasonIncludes: "scheme 'data:' is not allowed; use https", note: 'data:' },
  { url: 'blob:https://api.lyrics.ovh/0b1c', allowlist: LYRICS, allowed: false, reasonIncludes: "scheme 'blob:'", note: 'blob: wrapping a listed origin' },
  { url: 'file:///etc/passwd', allowlist: ANY, allowed: false, reasonIncludes: "scheme 'file:'", note: 'file:' },
  { url: 'javascript:alert(1)', allowlist: ANY, allowed: false, reasonIncludes: "scheme 'javascript:'", note: 'javascript:' },
  { url: 'JAVASCRIPT:alert(1)', allowlist: ANY, allowed: false, reasonIncludes: "scheme 'javascript:'", note: 'upper-case javascript:' },
  { url: 'ftp://api.lyrics.ovh/', allowlist: LYRICS, allowed: false, reasonIncludes: "scheme 'ftp:' is not allowed; use https", note: 'ftp: to a listed host' },
  { url: 'ws://api.lyrics.ovh/', allowlist: LYRICS, allowed: false, reasonIncludes: "scheme 'ws:'", note: 'ws:' },
  { url: 'wss://api.lyrics.ovh/', allowlist: LYRICS, allowed: false, reasonIncludes: "scheme 'wss:'", note: 'wss:' },
  { url: 'about:blank', allowlist: ANY, allowed: false, reasonIncludes: "scheme 'about:'", note: 'about:' },
  { url: 'chrome://settings', allowlist: ANY, allowed: false, reasonIncludes: "scheme 'chrome:'", note: 'chrome:' },
  {
    url: 'api.lyrics.ovh:443',
    allowlist: LYRICS,
    allowed: false,
    reasonIncludes: "scheme 'api.lyrics.ovh:'",
    note: 'host:port without a scheme parses as a scheme',
  },
  { url: 'http://api.lyrics.ovh/', allowlist: LYRICS, allowed: false, reasonIncludes: 'use https', note: 'plain http to a listed public host' },
  { url: 'http://example.com/', allowlist: ANY, allowed: false, reasonIncludes: 'use https', note: 'plain http under *' },
  { url: 'https:api.lyrics.ovh/x', allowlist: LYRICS, allowed: true, note: 'special scheme without slashes still parses the host' },
  { url: 'https:/api.lyrics.ovh/x', allowlist: LYRICS, allowed: true, note: 'special scheme with one slash' },

  // --- relative and protocol-relative URLs: no base URL, so they fail ------------------
  { url: '//api.lyrics.ovh/x', allowlist: LYRICS, allowed: false, reasonIncludes: NOT_ABSOLUTE, note: 'protocol-relative' },
  { url: '/x', allowlist: LYRICS, allowed: false, reasonIncludes: NOT_ABSOLUTE, note: 'path-relative' },
  { url: 'api.lyrics.ovh/x', allowlist: LYRICS, allowed: false, reasonIncludes: NOT_ABSOLUTE, note: 'no scheme' },
  { url: '', allowlist: LYRICS, allowed: false, reasonIncludes: NOT_ABSOLUTE, note: 'empty string' },

  // --- loopback over http: only the exactly listed host and port -----------------------
  {
    url: 'http://127.0.0.1:8080/api',
    allowlist: LOOP,
    allowed: true,
    reasonIncludes: "'127.0.0.1' matches http_hosts entry '127.0.0.1:8080'",
    note: 'listed loopback over http',
  },
  { url: 'https://127.0.0.1:8080/api', allowlist: LOOP, allowed: true, note: 'listed loopback over https' },
  {
    url: 'http://127.0.0.1:8081/',
    allowlist: LOOP,
    allowed: false,
    reasonIncludes: "port 8081 is not allowed for '127.0.0.1' (the entry allows only port 8080)",
    note: 'listed loopback, other port',
  },
  {
    url: 'http://127.0.0.1/',
    allowlist: LOOP,
    allowed: false,
    reasonIncludes: "the default port 80 is not allowed for '127.0.0.1'",
    note: 'listed loopback, default port',
  },
  { url: 'http://127.0.0.2:8080/', allowlist: LOOP, allowed: false, note: 'other loopback address' },
  {
    url: 'http://127.0.0.1:8080/',
    allowlist: NONE,
    allowed: false,
    reasonIncludes: "list it exactly in http_hosts (as '127.0.0.1:8080')",
    note: 'unlisted loopback over http',
  },
  { url: 'http://127.0.0.1:8080/', allowlist: ANY, allowed: false, note: '* never reaches loopback' },

  // --- subdomain wildcards ------------------------------------------------------------
  {
    url: 'https://example.com/',
    allowlist: SUB,
    allowed: true,
    reasonIncludes: "'example.com' is covered by http_hosts entry '*.example.com'",
    note: '*.example.com covers example.com itself',
  },
  { url: 'https://api.example.com/', allowlist: SUB, allowed: true, note: 'one level down' },
  { url: 'https://a.b.example.com/', allowlist: SUB, allowed: true, note: 'two levels down' },
  {
    url: 'https://badexample.com/',
    allowlist: SUB,
    allowed: false,
    reasonIncludes: `host 'badexample.com' is not in http_hosts ["*.example.com"]`,
    note: 'suffix without a dot boundary',
  },
  { url: 'https://example.com.evil.com/', allowlist: SUB, allowed: false, note: 'base as a prefix of another domain' },
  // Fails to parse in Node: %2F decodes to a forbidden "/". A parser that kept it would still
  // see a host ending in .evil.com, so the verdict holds in any browser.
  { url: 'https://example.com%2F.evil.com/', allowlist: SUB, allowed: false, note: 'encoded slash inside the host' },
  { url: 'https://*.example.com/', allowlist: SUB, allowed: false, reasonIncludes: 'is not a valid DNS name', note: 'a literal * host is not a DNS name' },
  { url: 'https://api.lyrics.ovh/', allowlist: SUB, allowed: false, note: 'unrelated host under a subdomain wildcard' },

  // --- the * wildcard -----------------------------------------------------------------
  {
    url: 'https://api.lyrics.ovh/',
    allowlist: ANY,
    allowed: true,
    reasonIncludes: "is a public host name, allowed by http_hosts entry '*'",
    note: '* allows a public name',
  },
  { url: 'https://evil.com#@api.lyrics.ovh', allowlist: ANY, allowed: true, note: '* allows evil.com too: it is a public name' },
];
