import { describe, expect, it } from 'vitest';
import type { TraceRecord } from '../../src/shared/trace-types.ts';
import { checkExpectation, checkScenario, exported, matchesValue, parseScenario, toMediaEvent, type ExportedRecord } from '../../src/shared/scenario.ts';

const valid = {
  config: { api_token: 'abc' },
  steps: [
    { event: 'on_peer_connected', payload: { peer_id: 'p1', domain: null } },
    { event: 'on_track_added', payload: { track_id: 't1', title: 'Take Five', artist: 'Dave Brubeck' } },
  ],
  expect: [
    { kind: 'log', message: 'saw .* #2' },
    { kind: 'host-call', fn: 'set-config' },
    { kind: 'event-result', result: 'success' },
  ],
};

const problemsOf = (value: unknown) => {
  const parsed = parseScenario(JSON.stringify(value));
  return parsed.ok ? [] : parsed.problems;
};

describe('parseScenario', () => {
  it('takes the format as documented', () => {
    const parsed = parseScenario(JSON.stringify(valid));
    expect(parsed).toEqual({ ok: true, scenario: valid });
  });

  it.each([
    ['invalid JSON', '{"steps": [', /^The scenario is not valid JSON: /],
    ['not an object', '[]', /^A scenario must be a JSON object/],
  ])('refuses %s', (_, text, message) => {
    const parsed = parseScenario(text);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.problems[0]).toMatch(message);
  });

  it.each([
    ['an unknown top-level key', { ...valid, expects: [] }, '"expects" is not a key of a scenario; the keys are config, steps, expect.'],
    ['a missing steps', { expect: [] }, 'steps is missing or not a list'],
    ['a missing expect', { steps: [] }, 'expect is missing or not a list'],
    ['a config value that is not a string', { ...valid, config: { retries: 3 } }, 'config.retries must be a string, not 3.'],
    [
      'an unknown event',
      { ...valid, steps: [{ event: 'on_track_add', payload: {} }] },
      'steps[0].event "on_track_add" is not an event; the events are on_track_added,',
    ],
    [
      'an unknown key in a step',
      { ...valid, steps: [{ event: 'on_track_deleted', payload: { track_id: 't' }, when: 1 }] },
      'steps[0] has an unknown key "when"',
    ],
    [
      'a missing payload field',
      { ...valid, steps: [{ event: 'on_track_added', payload: { track_id: 't1', title: 'x' } }] },
      'steps[0].payload.artist is missing: on_track_added carries track_id, title, artist, album.',
    ],
    [
      'a misspelt payload field',
      { ...valid, steps: [{ event: 'on_track_deleted', payload: { trackid: 't' } }] },
      'steps[0].payload has an unknown field "trackid"',
    ],
    [
      'a count that is not a whole number',
      { ...valid, steps: [{ event: 'on_library_scan_complete', payload: { library_id: 'l', tracks_added: -1, tracks_removed: 0 } }] },
      'steps[0].payload.tracks_added must be a whole number of 0 or more, not -1.',
    ],
    [
      'a string field that is a number',
      { ...valid, steps: [{ event: 'on_peer_disconnected', payload: { peer_id: 7 } }] },
      'steps[0].payload.peer_id must be a string, not 7.',
    ],
    [
      'an unknown trace kind',
      { ...valid, expect: [{ kind: 'host_call' }] },
      'expect[0].kind "host_call" is not a kind of trace record; the kinds are event, event-result, host-call,',
    ],
    ['an empty expectation', { ...valid, expect: [{}] }, 'expect[0] must be an object naming at least one field'],
    ['an invalid regular expression', { ...valid, expect: [{ kind: 'log', message: 'saw (' }] }, 'expect[0].message is not a valid regular expression'],
    [
      'a nested invalid regular expression',
      { ...valid, expect: [{ kind: 'host-call', args: ['[a-'] }] },
      'expect[0].args[0] is not a valid regular expression',
    ],
  ])('refuses %s, saying where', (_, value, message) => {
    expect(problemsOf(value).join('\n')).toContain(message);
  });

  it("accepts SoundTime's extra payload fields and every problem at once", () => {
    expect(problemsOf({ ...valid, steps: [{ event: 'on_peer_connected', payload: { peer_id: 'p', track_count: 3 } }] })).toEqual([]);
    expect(problemsOf({ steps: 'x', expect: 'y', extra: 1 })).toHaveLength(3);
  });
});

describe('toMediaEvent', () => {
  it('drops null optional fields and writes a JSON payload value as text', () => {
    expect(toMediaEvent({ event: 'on_peer_connected', payload: { peer_id: 'p1', domain: null, track_count: 2 } })).toEqual({
      name: 'on_peer_connected',
      payload: { peer_id: 'p1' },
    });
    expect(toMediaEvent({ event: 'on_plugin_event', payload: { source_plugin: 'a', event_name: 'b', payload: { n: 1 } } }).payload).toEqual({
      source_plugin: 'a',
      event_name: 'b',
      payload: '{"n":1}',
    });
  });
});

describe('matching', () => {
  it.each([
    ['a regex, unanchored', 'saw .* #2', 'I saw track-added #2 today', true],
    ['a regex that does not match', '^saw', 'I saw', false],
    ['a string against a number', '1', 1, false],
    ['a number', 1, 1, true],
    ['a boolean', true, false, false],
    ['null against absent', null, undefined, true],
    ['null against a value', null, 'x', false],
    ['an array element by element', ['^a$', 2], ['a', 2], true],
    ['an array of another length', ['a'], ['a', 'b'], false],
    ['an object by its named fields only', { tag: 'ok' }, { tag: 'ok', val: 3 }, true],
    ['an object missing a named field', { tag: 'ok', val: 3 }, { tag: 'ok' }, false],
  ])('%s', (_, expected, actual, holds) => {
    expect(matchesValue(expected, actual)).toBe(holds);
  });

  const base = { seq: 1, time: 0, pluginId: 'p' };
  const records = [
    { ...base, seq: 1, kind: 'event', event: 'on_track_added', payload: { track_id: 't1' } },
    { ...base, seq: 2, kind: 'host-call', fn: 'get-config', args: ['n'], result: { tag: 'ok', val: 7n }, durationMs: 0.1 },
    { ...base, seq: 3, kind: 'log', level: 'info', message: 'saw track-added #2' },
    { ...base, seq: 4, kind: 'event-result', event: 'on_track_added', result: 'success', durationMs: 1 },
  ] as TraceRecord[];
  const exportedRecords: ExportedRecord[] = records.map(exported);

  it('matches records as the trace export writes them (plugin, ISO time, bigint as a number)', () => {
    expect(exportedRecords[1]).toMatchObject({ plugin: 'p', time: '1970-01-01T00:00:00.000Z', result: { tag: 'ok', val: 7 } });
    expect(checkExpectation({ kind: 'host-call', plugin: '^p$', result: { val: 7 } }, exportedRecords).matched?.seq).toBe(2);
  });

  it('checks every expectation of the contract example', () => {
    const checks = checkScenario({ steps: [], expect: valid.expect }, exportedRecords);
    expect(checks.map((c) => c.matched?.seq)).toEqual([3, undefined, 4]);
  });

  it('names the closest records when none matched: same kind first, then most fields agreeing', () => {
    const check = checkExpectation({ kind: 'host-call', fn: 'set-config', args: ['n'] }, exportedRecords);
    expect(check.matched).toBeUndefined();
    expect(check.closest.map((r) => r.seq)).toEqual([2]);
    expect(checkExpectation({ kind: 'lifecycle', step: 'reloaded' }, exportedRecords).closest).toEqual([]);
  });
});
