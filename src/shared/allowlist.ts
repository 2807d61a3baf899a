// A plugin's http_hosts, parsed once into lookup tables for the fetch proxy. The proxy asks on
// every request; parsing every entry each time made a long allowlist cost milliseconds a call.
import { parseHostPattern } from './host-pattern.ts';
import { MAX_COMPILED_ALLOWLISTS, MAX_IGNORED_ENTRIES_SHOWN } from './limits.ts';

/** One usable entry: as the manifest wrote it (for the reason), and its port. */
export interface Grant {
  raw: string;
  /** Absent: only the scheme's default port. */
  port?: number;
}

export interface CompiledAllowlist {
  /** The entries as given, for the reason when nothing matches. */
  readonly list: readonly string[];
  /** Exact entries by host (lowercase, punycode). */
  readonly exact: ReadonlyMap<string, readonly Grant[]>;
  /** `*.domain` entries by domain. */
  readonly domains: ReadonlyMap<string, readonly Grant[]>;
  /** `*` entries. */
  readonly any: readonly Grant[];
  /** Why some entries are ignored, ready to append to a reason; '' when none are. */
  readonly ignoredNote: string;
}

// Two caches: one by identity, for callers that keep their array, and one by content, for
// callers that build a fresh array per request (a grant narrowed to the manifest).
const byList = new WeakMap<readonly string[], CompiledAllowlist>();
const byContent = new Map<string, CompiledAllowlist>();

export function compileAllowlist(list: readonly string[]): CompiledAllowlist {
  const known = byList.get(list);
  if (known) return known;
  const key = JSON.stringify(list);
  let compiled = byContent.get(key);
  if (compiled) byContent.delete(key);
  else compiled = build(list);
  byContent.set(key, compiled); // re-inserted: a Map iterates oldest first
  if (byContent.size > MAX_COMPILED_ALLOWLISTS) byContent.delete(byContent.keys().next().value as string);
  byList.set(list, compiled);
  return compiled;
}

function build(list: readonly string[]): CompiledAllowlist {
  const exact = new Map<string, Grant[]>();
  const domains = new Map<string, Grant[]>();
  const any: Grant[] = [];
  const ignored: string[] = [];
  const add = (map: Map<string, Grant[]>, key: string, grant: Grant) => {
    const grants = map.get(key);
    if (grants) grants.push(grant);
    else map.set(key, [grant]);
  };
  for (const raw of list) {
    const parsed = parseHostPattern(raw);
    if (!parsed.ok) {
      ignored.push(`http_hosts entry '${raw}' is not an allowed host: ${parsed.reason}`);
      continue;
    }
    const { pattern } = parsed;
    if (pattern.kind === 'any') any.push({ raw });
    else {
      const grant = pattern.port === undefined ? { raw } : { raw, port: pattern.port };
      if (pattern.kind === 'exact') add(exact, pattern.host, grant);
      else add(domains, pattern.domain, grant);
    }
  }
  const more = ignored.length > MAX_IGNORED_ENTRIES_SHOWN ? ` (and ${ignored.length - MAX_IGNORED_ENTRIES_SHOWN} more ignored entries)` : '';
  const ignoredNote = ignored
    .slice(0, MAX_IGNORED_ENTRIES_SHOWN)
    .map((why) => ` (ignored: ${why})`)
    .join('');
  return { list, exact, domains, any, ignoredNote: ignoredNote + more };
}

/** The `*.domain` grants covering `host`, most specific domain first. */
export function domainGrants(allowlist: CompiledAllowlist, host: string): Grant[] {
  const found: Grant[] = [];
  for (let suffix = host; ; suffix = suffix.slice(suffix.indexOf('.') + 1)) {
    found.push(...(allowlist.domains.get(suffix) ?? []));
    if (!suffix.includes('.')) return found;
  }
}
