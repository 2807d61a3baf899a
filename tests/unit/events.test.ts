import { describe, expect, it } from 'vitest';
import { EVENT_NAMES, toWitEvent, witCaseOf } from '../../src/shared/events.ts';

describe('events', () => {
  it.each(EVENT_NAMES.map((name) => [name]))('%s maps to a WIT case of the same name', (name) => {
    expect(witCaseOf(name)).toBe(name.slice(3).replaceAll('_', '-'));
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
