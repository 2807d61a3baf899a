import { describe, expect, it } from 'vitest';
import { matchesValue, parseScenario, scenarioText, type ExportedRecord } from '../../src/shared/scenario.ts';
import { compareOutcomes, describeExpectation } from '../../src/shared/scenario-compare.ts';
import { literalPattern, literalText, recordScenario } from '../../src/shared/scenario-record.ts';

const at = (seq: number, fields: Record<string, unknown>): ExportedRecord => ({ seq, time: '2026-01-01T00:00:00.000Z', plugin: 'p', ...fields });

/** One recorded session: a peer connects, a track is added; the plugin counts and logs. */
const session: ExportedRecord[] = [
  at(1, { kind: 'event', event: 'on_peer_connected', payload: { peer_id: 'p1' } }),
  at(2, { kind: 'host-call', fn: 'set-config', args: ['seen', '1'], result: { tag: 'ok' }, durationMs: 0.2 }),
  at(3, { kind: 'log', level: 'info', message: '2026-05-01T10:00:00.123Z saw peer-connected (#1)' }),
  at(4, { kind: 'event-result', event: 'on_peer_connected', result: 'success', durationMs: 3, fuel: 1200 }),
  at(5, { kind: 'lifecycle', step: 'started', detail: 'worker started' }),
  at(6, { kind: 'event', event: 'core:intent-resolve', payload: { value: 'x' } }),
  at(7, { kind: 'event', event: 'on_track_added', payload: { track_id: 't1', title: 'A', artist: 'B' } }),
  at(8, { kind: 'host-request', function: 'set_nothing', args: {}, outcome: 'ignored', reason: 'not a function the backend handles' }),
  at(9, { kind: 'event-result', event: 'on_track_added', result: 'error', error: 'the plugin returned an error: no [title]', durationMs: 1 }),
];

describe('literal patterns', () => {
  it.each([
    ['plain text', 'saw peer-connected'],
    ['regex characters', 'a.b*c (#1) [x] {y} ^$ | \\ / ?+'],
    ['a timestamp', 'at 2026-05-01T10:00:00Z and 2026-05-01T10:00:00.5+02:00'],
  ])('match exactly the text they came from, and read back as it (%s)', (_, text) => {
    const pattern = literalPattern(text);
    expect(new RegExp(pattern).test(text)).toBe(true);
    expect(new RegExp(pattern).test(`${text}!`)).toBe(false);
    expect(literalText(pattern)?.replace(/<timestamp>/g, 'T')).toBe(text.replace(/\d{4}-\d\d-\d\dT[\d:.]+(Z|[+-]\d\d:\d\d)/g, 'T'));
  });

  it('let any timestamp stand where one was recorded', () => {
    expect(new RegExp(literalPattern('at 2026-05-01T10:00:00.123Z.')).test('at 2031-12-31T23:59:59.999Z.')).toBe(true);
  });

  it('are told apart from hand-written expressions', () => {
    expect(literalText('saw .* #2')).toBeUndefined();
    expect(literalText('^saw .*$')).toBeUndefined();
  });
});

describe('recordScenario', () => {
  const { scenario, fuel } = recordScenario({ api_token: 'abc' }, session);

  it('makes the media events the steps, in order, and the outcomes the expectations', () => {
    expect(scenario.config).toEqual({ api_token: 'abc' });
    expect(scenario.steps).toEqual([
      { event: 'on_peer_connected', payload: { peer_id: 'p1' } },
      { event: 'on_track_added', payload: { track_id: 't1', title: 'A', artist: 'B' } },
    ]);
    expect(scenario.expect.map((e) => e.kind)).toEqual(['host-call', 'log', 'event-result', 'host-request', 'event-result']);
    expect(scenario.expect[0]).toEqual({ kind: 'host-call', fn: '^set-config$', args: ['^seen$', '^1$'], result: { tag: '^ok$' } });
    expect(fuel).toEqual([undefined, undefined, 1200, undefined, undefined]);
  });

  it('writes a file the parser takes, whose expectations all hold for the session recorded', () => {
    const parsed = parseScenario(scenarioText(scenario));
    expect(parsed.ok).toBe(true);
    for (const expectation of scenario.expect) expect(session.some((r) => matchesValue(expectation, r))).toBe(true);
  });

  it('leaves config out when there was none', () => {
    expect(recordScenario({}, session).scenario).not.toHaveProperty('config');
  });

  it('shows recorded expectations as the text they stand for', () => {
    expect(scenario.expect.map(describeExpectation)).toEqual([
      'set-config("seen", "1") → ok',
      '[info] <timestamp> saw peer-connected (#1)',
      'on_peer_connected → success',
      'host_request set_nothing: ignored',
      'on_track_added → error: the plugin returned an error: no [title]',
    ]);
    expect(describeExpectation({ kind: 'log', message: 'saw .* #2' })).toBe('[any level] /saw .* #2/');
    expect(describeExpectation({ kind: 'lifecycle', step: 'reloaded' })).toBe('{"kind":/lifecycle/,"step":/reloaded/}');
  });
});

describe('compareOutcomes', () => {
  const { scenario, fuel } = recordScenario(undefined, session);

  it('puts shared outcomes on one row and marks nothing when the replay did the same', () => {
    const { rows } = compareOutcomes(
      scenario.expect,
      fuel,
      session.map((r) => ({ ...r, seq: Number(r.seq) + 100 })),
    );
    expect(rows.map((r) => r.status)).toEqual(['same', 'same', 'same', 'same', 'same']);
    expect(rows[2]).toMatchObject({ recorded: { fuel: 1200 }, replayed: { fuel: 1200 }, fuelDiffers: false });
  });

  it('marks a changed log line, a host call gone, a new one, and different fuel', () => {
    const replay = [
      at(11, { kind: 'event', event: 'on_peer_connected', payload: { peer_id: 'p1' } }),
      at(12, { kind: 'log', level: 'info', message: 'v2 saw peer-connected' }),
      at(13, { kind: 'host-call', fn: 'get-current-timestamp', args: [], result: { tag: 'ok', val: 'now' } }),
      at(14, { kind: 'event-result', event: 'on_peer_connected', result: 'success', durationMs: 3, fuel: 1500 }),
      at(15, { kind: 'event', event: 'on_track_added', payload: { track_id: 't1', title: 'A', artist: 'B' } }),
      at(16, { kind: 'event-result', event: 'on_track_added', result: 'success', durationMs: 1 }),
    ];
    const { rows } = compareOutcomes(scenario.expect, fuel, replay);
    expect(rows.map((r) => [r.status, r.recorded?.text, r.replayed?.text])).toEqual([
      ['missing', 'set-config("seen", "1") → ok', undefined],
      ['changed', '[info] <timestamp> saw peer-connected (#1)', '[info] v2 saw peer-connected'],
      ['extra', undefined, 'get-current-timestamp() → ok'],
      ['same', 'on_peer_connected → success', 'on_peer_connected → success'],
      ['missing', 'host_request set_nothing: ignored', undefined],
      ['changed', 'on_track_added → error: the plugin returned an error: no [title]', 'on_track_added → success'],
    ]);
    expect(rows[3]).toMatchObject({ fuelDiffers: true, recorded: { fuel: 1200 }, replayed: { fuel: 1500 } });
  });

  it('also lists a record of another kind that a hand-written expectation matched', () => {
    const { rows } = compareOutcomes([{ kind: 'lifecycle', step: 'started' }], [], session);
    expect(rows.find((r) => r.status === 'same')?.replayed?.text).toBe('lifecycle {"step":"started","detail":"worker started"}');
  });
});
