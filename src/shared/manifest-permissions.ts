// [permissions] of plugin.toml. http_hosts entries go through the same parser the fetch proxy
// uses (host-pattern.ts): what is accepted here is exactly what the proxy enforces.
import { EVENT_NAMES, isEventName, type EventName } from './events.ts';
import { parseHostPattern } from './host-pattern.ts';
import { MAX_HTTP_HOSTS } from './limits.ts';
import { quote, readBoolean, readStrings, type Issues, type Table } from './manifest-read.ts';
import type { Manifest } from './manifest-types.ts';

export function checkPermissions(table: Table, issues: Issues): Manifest['permissions'] {
  return {
    httpHosts: checkHosts(table, issues),
    events: checkEvents(table, issues),
    writeTracks: readBoolean(table, 'permissions.write_tracks', issues) ?? false,
    configAccess: readBoolean(table, 'permissions.config_access', issues) ?? false,
    readUsers: readBoolean(table, 'permissions.read_users', issues) ?? false,
  };
}

function checkHosts(table: Table, issues: Issues): string[] {
  const field = 'permissions.http_hosts';
  const entries = readStrings(table, field, issues);
  if (entries.length > MAX_HTTP_HOSTS) {
    const message = `${field} lists ${entries.length} hosts, but at most ${MAX_HTTP_HOSTS} are allowed; cover the hosts of one domain with a "*.domain" entry.`;
    issues.error(field, 'max-entries', message);
  }
  const hosts = new Unique<string>(issues);
  for (const { field: itemField, value } of entries) {
    const result = parseHostPattern(value);
    if (!result.ok) {
      issues.error(itemField, result.rule, `${itemField} ${quote(value)} is not an allowed host: ${result.reason}.`, value);
      continue;
    }
    for (const warning of result.warnings) issues.warn(itemField, warning.rule, `${itemField} ${quote(value)} ${warning.reason}.`, value);
    hosts.add(result.text, itemField, value);
  }
  return hosts.list;
}

function checkEvents(table: Table, issues: Issues): EventName[] {
  const events = new Unique<EventName>(issues);
  for (const { field, value } of readStrings(table, 'permissions.events', issues)) {
    if (isEventName(value)) events.add(value, field, value);
    else {
      const message = `${field} ${quote(value)} is not a known event; use one of: ${EVENT_NAMES.join(', ')}.`;
      issues.error(field, 'event-name', message, value);
    }
  }
  return events.list;
}

/** A list without repeats that warns about each repeat (a Set: long lists stay linear). */
class Unique<T extends string> {
  readonly list: T[] = [];
  private readonly seen = new Set<T>();
  constructor(private readonly issues: Issues) {}

  add(item: T, field: string, raw: string): void {
    if (this.seen.has(item)) {
      this.issues.warn(field, 'duplicate', `${field} ${quote(raw)} is listed more than once; the duplicate is ignored.`, raw);
      return;
    }
    this.seen.add(item);
    this.list.push(item);
  }
}
