import { describe, expect, it } from 'vitest';
import type { EventsLogEntry } from '../../src/host/db.ts';
import { eventsLogJson, toLogRow } from '../../src/host/events-log.ts';
import { pruneCount } from '../../src/host/events-log-store.ts';

const played: EventsLogEntry = {
  id: 7,
  pluginId: 'scrobbler',
  event: 'on_track_played',
  payload: { track_id: 't1', user_id: 'u1', timestamp: '2024-05-01T12:00:00Z' },
  result: 'success',
  executionMs: 3.25,
  fuel: 151_234,
  time: Date.UTC(2024, 4, 1, 12, 0, 0, 500),
};

describe('toLogRow', () => {
  it('names the fields like a row of SoundTime plugin_events_log', () => {
    expect(toLogRow(played)).toEqual({
      plugin: 'scrobbler',
      event: 'on_track_played',
      payload: { track_id: 't1', user_id: 'u1', timestamp: '2024-05-01T12:00:00Z' },
      result: 'success',
      execution_ms: 3.25,
      fuel_used: 151_234,
      error_message: null,
      created_at: '2024-05-01T12:00:00.500Z',
    });
  });

  it('keeps the error message of a call that was killed', () => {
    const row = toLogRow({ ...played, result: 'killed', fuel: undefined, error: 'timeout: the plugin ran past 5000 ms and was terminated' });
    expect(row.result).toBe('killed');
    expect(row.fuel_used).toBeNull(); // nothing is left to read in a terminated worker
    expect(row.error_message).toBe('timeout: the plugin ran past 5000 ms and was terminated');
  });
});

describe('eventsLogJson', () => {
  it('exports entries in the order given, pretty-printed, without the internal id', () => {
    const json = eventsLogJson([played, { ...played, id: 8, event: 'on_track_deleted', payload: { track_id: 't1' } }]);
    expect(json.split('\n')[1]).toBe('  {');
    const rows = JSON.parse(json) as Array<Record<string, unknown>>;
    expect(rows.map((r) => r.event)).toEqual(['on_track_played', 'on_track_deleted']);
    expect(rows[0]).not.toHaveProperty('id');
  });

  it('writes a u64 payload field as a number when it fits and as text when it does not', () => {
    const json = eventsLogJson([{ ...played, event: 'on_library_scan_complete', payload: { tracks_added: 12n, tracks_removed: 2n ** 64n } }]);
    expect(JSON.parse(json)[0].payload).toEqual({ tracks_added: 12, tracks_removed: '18446744073709551616' });
  });

  it('exports an empty log as an empty array', () => {
    expect(eventsLogJson([])).toBe('[]');
  });
});

describe('pruneCount', () => {
  it.each([
    [0, 5000, 0],
    [5000, 5000, 0],
    // One over capacity prunes to 90%, so the next 499 adds do not prune again.
    [5001, 5000, 501],
    [12000, 5000, 7500],
    [11, 10, 2],
  ])('with %i entries and capacity %i drops the oldest %i', (count, capacity, expected) => {
    expect(pruneCount(count, capacity)).toBe(expected);
  });
});
