// The one place where a plugin's permissions are decided. Every host call and every event
// delivery asks here; nothing else looks at a grant.
import { EVENT_NAMES, type EventName } from '../shared/events.ts';
import type { Manifest } from '../shared/manifest.ts';
import type { HostFunctionName } from '../shared/protocol.ts';

/** What a plugin is allowed to do: the `[permissions]` of its manifest, once approved. */
export type PermissionGrant = Manifest['permissions'];

/** Deny by default: a plugin nobody approved can do nothing that needs a permission. */
export const NO_GRANT: PermissionGrant = { httpHosts: [], events: [], writeTracks: false, configAccess: false, readUsers: false };

/** What was approved, narrowed to what the manifest asks for now (an edit may ask for less). */
export function effectiveGrant(approved: PermissionGrant, requested: PermissionGrant): PermissionGrant {
  // Asked for on every host call and every delivery: made once per approval and manifest
  // (both are replaced, never changed in place, when either changes).
  let byRequest = grants.get(approved);
  if (!byRequest) grants.set(approved, (byRequest = new WeakMap()));
  let grant = byRequest.get(requested);
  if (!grant) {
    const hosts = new Set(requested.httpHosts);
    const events = new Set(requested.events);
    grant = Object.freeze({
      httpHosts: approved.httpHosts.filter((host) => hosts.has(host)),
      events: approved.events.filter((event: EventName) => events.has(event)),
      writeTracks: approved.writeTracks && requested.writeTracks,
      configAccess: approved.configAccess && requested.configAccess,
      readUsers: approved.readUsers && requested.readUsers,
    });
    byRequest.set(requested, grant);
  }
  return grant;
}

const grants = new WeakMap<PermissionGrant, WeakMap<PermissionGrant, PermissionGrant>>();

export type Permission = 'write_tracks' | 'config_access' | 'read_users' | 'http_hosts';

/** Every permission there is (for tests and comparisons). */
export const FULL_GRANT: PermissionGrant = {
  httpHosts: ['*'],
  events: [...EVENT_NAMES],
  writeTracks: true,
  configAccess: true,
  readUsers: true,
};

const REQUIRED: Partial<Record<HostFunctionName, Permission>> = {
  'set-track-lyrics': 'write_tracks',
  'set-track-genre': 'write_tracks',
  'set-track-metadata': 'write_tracks',
  'list-users': 'read_users',
  'get-user': 'read_users',
  'get-config': 'config_access',
  'set-config': 'config_access',
  'delete-config': 'config_access',
  'http-get': 'http_hosts',
  'http-post': 'http_hosts',
};

export interface PermissionDecision {
  permission: Permission;
  allowed: boolean;
  reason: string;
}

/**
 * Decides whether `fn` may run. Undefined for functions that need no permission.
 * HTTP calls are decided here only on whether any host is granted; the URL itself is
 * decided by the fetch proxy.
 */
export function checkPermission(grant: PermissionGrant, fn: HostFunctionName): PermissionDecision | undefined {
  const permission = REQUIRED[fn];
  if (!permission) return undefined;
  const allowed =
    permission === 'write_tracks'
      ? grant.writeTracks
      : permission === 'config_access'
        ? grant.configAccess
        : permission === 'read_users'
          ? grant.readUsers
          : grant.httpHosts.length > 0;
  const reason = allowed
    ? `${permission} is granted`
    : permission === 'http_hosts'
      ? `permission denied: http_hosts is empty, so ${fn} may not reach any host; add the host to [permissions] http_hosts`
      : `permission denied: ${fn} needs ${permission} = true in [permissions]`;
  return { permission, allowed, reason };
}

export function subscribes(grant: PermissionGrant, event: EventName): boolean {
  return grant.events.includes(event);
}
