import { describe, expect, it } from 'vitest';
import { ComponentHostRuntime } from '../../src/host/runtimes/component.ts';
import { SoundTimeHostRuntime } from '../../src/host/runtimes/soundtime.ts';
import { EVENT_NAMES } from '../../src/shared/events.ts';
import { parseManifest } from '../../src/shared/manifest.ts';
import { describePermissions, draftManifest, draftSummary } from '../../src/shared/manifest-text.ts';

const info = { name: 'bare', version: '0.1.0', description: 'A bare build.', author: '' };

function permissionsOf(text: string) {
  const result = parseManifest(text, { appVersion: '0.1.0' });
  if (!result.ok) throw new Error(result.errors.map((e) => e.message).join('; '));
  return result.manifest.permissions;
}

describe('a draft for a bare .wasm', () => {
  it('subscribes to the events it is given and grants nothing else', () => {
    const permissions = permissionsOf(draftManifest(info, 'bare.wasm', EVENT_NAMES));
    expect(permissions).toEqual({ httpHosts: [], events: [...EVENT_NAMES], writeTracks: false, configAccess: false, readUsers: false });
    expect(draftManifest(info, 'bare.wasm', EVENT_NAMES)).toContain('# It receives the events below (they grant nothing)');
  });

  it('says in the review that it receives every event, naming them', () => {
    const [line, ...rest] = describePermissions(permissionsOf(draftManifest(info, 'bare.wasm', EVENT_NAMES)));
    expect(rest).toEqual([]);
    expect(line).toBe(
      'Receive every event (track added, track played, track deleted, library scan complete, user registered, user logged in, playlist created, peer connected, peer disconnected, plugin event)',
    );
  });

  it.each([
    [EVENT_NAMES, 'it receives every event and is granted nothing else'],
    [['on_track_added', 'on_track_played'] as const, 'it receives track added, track played and is granted nothing else'],
    [[] as const, 'it receives no events and is granted nothing else'],
  ])('tells the card what it runs on (%j)', (events, text) => {
    expect(draftSummary(permissionsOf(draftManifest(info, 'bare.wasm', events)))).toContain(text);
  });
});

describe('which events a draft subscribes to', () => {
  const inspected = (profile: 'playground' | 'hydrust' | 'soundtime', exports: string[]) => ({ profile, wit: '', imports: [], exports });

  it('a playground component: every event', () => {
    const runtime = new ComponentHostRuntime(undefined as never);
    expect(runtime.draftEvents(inspected('playground', ['playground:plugin/guest@0.1.0']))).toEqual([...EVENT_NAMES]);
  });

  it('a Hydrust provider: none, it takes its own core events', () => {
    expect(new ComponentHostRuntime(undefined as never).draftEvents(inspected('hydrust', []))).toEqual([]);
  });

  it('a SoundTime module: the events it exports handle_<event> for, in the usual order', () => {
    const runtime = new SoundTimeHostRuntime({ hostCall: async () => ({ tag: 'ok', val: null }), trace: () => {} }, undefined as never);
    const exports = ['handle_on_track_played', 'memory', 'handle_on_track_added', 'handle_on_nothing'];
    expect(runtime.draftEvents(inspected('soundtime', exports))).toEqual(['on_track_added', 'on_track_played']);
  });
});
