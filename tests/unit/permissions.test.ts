import { describe, expect, it } from 'vitest';
import { checkPermission, FULL_GRANT, NO_GRANT, subscribes } from '../../src/host/permissions.ts';
import { HOST_FUNCTIONS } from '../../src/shared/protocol.ts';

const NOTHING = NO_GRANT;

const GUARDED = [
  ['set-track-lyrics', 'write_tracks'],
  ['set-track-genre', 'write_tracks'],
  ['set-track-metadata', 'write_tracks'],
  ['list-users', 'read_users'],
  ['get-user', 'read_users'],
  ['get-config', 'config_access'],
  ['set-config', 'config_access'],
  ['delete-config', 'config_access'],
  ['http-get', 'http_hosts'],
  ['http-post', 'http_hosts'],
] as const;
const OPEN = ['get-track', 'search-tracks', 'log-info', 'log-warn', 'log-error', 'get-instance-info', 'get-current-timestamp', 'emit-event'] as const;

describe('checkPermission', () => {
  it.each(GUARDED)('%s needs %s and is denied without it, naming it', (fn, permission) => {
    const decision = checkPermission(NOTHING, fn);
    expect(decision).toMatchObject({ permission, allowed: false });
    expect(decision!.reason).toMatch(new RegExp(`^permission denied: .*${permission}`));
    expect(checkPermission(FULL_GRANT, fn)).toMatchObject({ permission, allowed: true });
  });

  it.each(OPEN)('%s needs no permission', (fn) => {
    expect(checkPermission(NOTHING, fn)).toBeUndefined();
  });

  it('decides every host function: each is guarded by one permission or listed as needing none', () => {
    const decided = [...GUARDED.map(([fn]) => fn), ...OPEN];
    expect(new Set(decided).size).toBe(decided.length);
    expect([...decided].sort()).toEqual([...HOST_FUNCTIONS].sort());
  });
});

describe('subscribes', () => {
  it('delivers only subscribed events', () => {
    expect(subscribes({ ...NOTHING, events: ['on_track_added'] }, 'on_track_added')).toBe(true);
    expect(subscribes({ ...NOTHING, events: ['on_track_added'] }, 'on_track_played')).toBe(false);
  });
});
