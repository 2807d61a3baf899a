import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { EVENT_NAMES, toWitEvent, witCaseOf } from '../../src/shared/events.ts';

/** The cases of `variant event` in the contract itself, wit/plugin.wit. */
function witEventCases(): string[] {
  const wit = readFileSync(new URL('../../wit/plugin.wit', import.meta.url), 'utf8');
  const body = /variant event \{([^}]*)\}/.exec(wit)?.[1] ?? '';
  return [...body.matchAll(/^\s*([a-z][a-z0-9-]*)\s*\(/gm)].map((m) => m[1]!);
}

describe('events', () => {
  it('every case of the WIT event variant is a SoundTime event, and every event a case', () => {
    const cases = witEventCases();
    expect(cases).toHaveLength(10);
    expect(EVENT_NAMES.map(witCaseOf).sort()).toEqual([...cases].sort());
  });

  it.each(witEventCases().map((c) => [c]))('the WIT case %s is the event on_<case> with underscores', (c) => {
    expect(EVENT_NAMES).toContain(`on_${c.replaceAll('-', '_')}`);
  });

  it('converts payload fields to camelCase and u64 counters to bigint', () => {
    expect(toWitEvent({ name: 'on_library_scan_complete', payload: { library_id: 'lib', tracks_added: 3, tracks_removed: 0 } })).toEqual({
      tag: 'library-scan-complete',
      val: { libraryId: 'lib', tracksAdded: 3n, tracksRemoved: 0n },
    });
  });

  it('keeps an absent optional field absent (WIT none)', () => {
    expect(toWitEvent({ name: 'on_peer_connected', payload: { peer_id: 'p', domain: undefined } })).toEqual({
      tag: 'peer-connected',
      val: { peerId: 'p', domain: undefined },
    });
  });
});
