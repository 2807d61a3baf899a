// The one place where a plugin's permissions are decided. Every host call and every event
// delivery asks here; nothing else looks at a grant.
import { EVENT_NAMES, type EventName } from '../shared/events.ts';
import type { HostFunctionName } from '../shared/protocol.ts';

/** What a plugin is allowed to do (the approved `[permissions]` of its manifest). */
export interface PermissionGrant {
  httpHosts: string[];
  events: EventName[];
  writeTracks: boolean;
  configAccess: boolean;
  readUsers: boolean;
}

export type Permission = 'write_tracks' | 'config_access' | 'read_users' | 'http_hosts';

/** Until manifests are reviewed, every permission is granted. */
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
