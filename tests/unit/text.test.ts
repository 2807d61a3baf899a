import { describe, expect, it } from 'vitest';
import { cleanLogLine } from '../../src/shared/log-text.ts';
import { summarize, toJson, toJsonLine } from '../../src/shared/trace-format.ts';

describe('cleanLogLine', () => {
  it('removes control characters (terminal escapes) and keeps tabs', () => {
    expect(cleanLogLine('\u001b[31mred\u001b[0m\tok\u0007\u0085')).toBe('[31mred[0m\tok');
  });

  it('keeps one call on one line', () => {
    expect(cleanLogLine('a\nb\r\nc')).toBe('a ⏎ b ⏎ c');
  });

  it('truncates long lines with a marker saying how much was cut', () => {
    const line = cleanLogLine('x'.repeat(3000));
    expect(line).toBe(`${'x'.repeat(2048)}… [truncated 952 characters]`);
  });
});

describe('trace formatting', () => {
  it('writes bigint as a number when it fits and as text when it does not', () => {
    expect(toJson({ small: 3n, big: 2n ** 64n })).toBe('{"small":3,"big":"18446744073709551616"}');
  });

  it('summarizes a host call with its arguments and result', () => {
    expect(
      summarize({
        kind: 'host-call',
        seq: 1,
        time: 0,
        pluginId: 'p',
        fn: 'get-config',
        args: ['k'],
        result: { tag: 'err', val: 'permission denied: get-config needs config_access = true in [permissions]' },
        durationMs: 1.25,
      }),
    ).toBe('get-config("k") → err "permission denied: get-config needs config_access = true in [permissions]" [1.3 ms]');
  });

  it('summarizes a failed event with its error', () => {
    expect(
      summarize({
        kind: 'event-result',
        seq: 1,
        time: 0,
        pluginId: 'p',
        event: 'on_track_added',
        result: 'error',
        error: 'trapped: unreachable',
        durationMs: 2,
      }),
    ).toBe('✗ on_track_added failed after 2.0 ms: trapped: unreachable');
  });

  it('says the fuel and guest time a call used, and what the guest had used when it made a host call', () => {
    const base = { seq: 1, time: 0, pluginId: 'p', event: 'on_track_added', durationMs: 2 } as const;
    expect(summarize({ ...base, kind: 'event-result', result: 'success', fuel: 151_234 })).toBe('✓ on_track_added handled in 2.0 ms, 151,234 fuel');
    expect(summarize({ ...base, kind: 'event-result', result: 'success', fuel: 151_234, guestMs: 1.23 })).toBe(
      '✓ on_track_added handled in 2.0 ms (guest time 1.2 ms), 151,234 fuel',
    );
    expect(summarize({ ...base, kind: 'event-result', result: 'error', error: 'the plugin returned an error: no', fuel: 12, guestMs: 0.5 })).toBe(
      '✗ on_track_added failed after 2.0 ms (guest time 0.5 ms): the plugin returned an error: no (12 fuel)',
    );
    expect(summarize({ ...base, kind: 'event-result', result: 'error', error: 'trapped: unreachable', fuel: 12 })).toBe(
      '✗ on_track_added failed after 2.0 ms: trapped: unreachable (12 fuel)',
    );
    const outOfFuel = 'out of fuel: the call used its budget of 1,000 fuel';
    expect(summarize({ ...base, kind: 'event-result', result: 'error', error: outOfFuel, fuel: 1000, limit: 'fuel' })).toBe(
      `✗ on_track_added failed after 2.0 ms: ${outOfFuel}`,
    );
    expect(
      summarize({
        seq: 2,
        time: 0,
        pluginId: 'p',
        kind: 'host-call',
        fn: 'get-config',
        args: ['k'],
        result: { tag: 'ok', val: 'v' },
        durationMs: 1,
        fuel: 4_321,
      }),
    ).toBe('get-config("k") → "v" [1.0 ms, after 4,321 fuel]');
  });

  it('writes a record as one JSON line: seq, ISO time, plugin and kind first', () => {
    const line = toJsonLine({ kind: 'log', seq: 7, time: Date.UTC(2026, 10, 23, 9, 30), pluginId: 'p', level: 'info', message: 'a\nb\u2028c' });
    expect(line).toBe('{"seq":7,"time":"2026-11-23T09:30:00.000Z","plugin":"p","kind":"log","level":"info","message":"a\\nb\\u2028c"}');
    expect(line).not.toMatch(/[\n\u2028\u2029]/);
    expect(JSON.parse(line).message).toBe('a\nb\u2028c');
  });
});
