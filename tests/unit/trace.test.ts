import { describe, expect, it } from 'vitest';
import { boundedEntry } from '../../src/host/events-log.ts';
import { Trace } from '../../src/host/trace.ts';
import { MAX_EVENTS_LOG_ERROR_CHARS, MAX_TRACE_RECORD_CHARS, MAX_TRACE_STRING } from '../../src/shared/limits.ts';
import type { TraceInput, TraceRecord } from '../../src/shared/trace-types.ts';

const log = (message: string) => ({ kind: 'log', pluginId: 'p', level: 'info', message }) as const;

/** A trace whose listeners are told only when the test says a frame went by. */
function framedTrace(bounds = {}) {
  let frame: (() => void) | undefined;
  const trace = new Trace(bounds, (tell) => (frame = tell));
  const told: TraceRecord[][] = [];
  trace.addEventListener('records', (e) => told.push([...(e as CustomEvent<readonly TraceRecord[]>).detail]));
  const nextFrame = () => {
    const tell = frame;
    frame = undefined;
    tell?.();
  };
  return { trace, told, nextFrame };
}

describe('telling listeners about new records', () => {
  it('adding only buffers: listeners hear once a frame, with every record since', () => {
    const { trace, told, nextFrame } = framedTrace();
    for (let i = 0; i < 1000; i++) trace.add(log(`line ${i}`));
    expect(told).toEqual([]);
    nextFrame();
    expect(told).toHaveLength(1);
    expect(told[0]!.map((r) => r.seq)).toEqual(trace.records().map((r) => r.seq));
    trace.add(log('one more'));
    nextFrame();
    expect(told.map((batch) => batch.length)).toEqual([1000, 1]);
    nextFrame();
    expect(told).toHaveLength(2);
  });

  it('after a clear, listeners are not told again of records they will read from records()', () => {
    const { trace, told, nextFrame } = framedTrace();
    trace.add(log('before'));
    trace.removePlugin('someone-else');
    nextFrame();
    expect(told).toEqual([]);
    trace.add(log('after'));
    nextFrame();
    expect(told.flat().map((r) => r.kind === 'log' && r.message)).toEqual(['after']);
  });

  it('since(seq) gives the records after it that are still kept', () => {
    const trace = new Trace(10, () => {});
    for (let i = 1; i <= 30; i++) trace.add(log(`${i}`));
    const seqs = (records: readonly TraceRecord[]) => records.map((r) => r.seq);
    expect(seqs(trace.since(25))).toEqual([26, 27, 28, 29, 30]);
    expect(seqs(trace.since(0))).toEqual(seqs(trace.records()));
    expect(trace.since(30)).toEqual([]);
  });
});

describe('the size of what the trace keeps', () => {
  const long = 'x'.repeat(100_000);
  const many = Array.from({ length: 10_000 }, (_, i): [string, string] => [`x-header-${i}`, long]);
  // One record of every kind, each with plugin-supplied text far over the bounds.
  const inputs: TraceInput[] = [
    { kind: 'event', pluginId: 'p', event: 'on_plugin_event', payload: { payload: long } },
    { kind: 'event-result', pluginId: 'p', event: 'on_track_added', result: 'error', error: long, durationMs: 1 },
    { kind: 'host-call', pluginId: 'p', fn: 'http-get', args: [long, many], result: { tag: 'ok', val: { body: long, headers: many } }, durationMs: 1 },
    { kind: 'permission', pluginId: 'p', fn: 'http-get', permission: 'http', allowed: false, reason: long },
    { kind: 'log', pluginId: 'p', level: 'warn', message: long },
    { kind: 'lifecycle', pluginId: 'p', step: 'failed', detail: long },
    { kind: 'published', pluginId: 'p', event: { tag: 'found', val: many } },
    { kind: 'http', pluginId: 'p', method: long, url: long, allowed: false, reason: long, requestHeaders: many },
    { kind: 'http-response', pluginId: 'p', url: long, status: 200, responseHeaders: many, bodyBytes: 5, durationMs: 1 },
    { kind: 'error', pluginId: 'p', message: long },
  ];

  it.each(inputs.map((input) => [input.kind, input] as const))('a %s record is bounded, whatever the plugin sent', (_kind, input) => {
    const record = new Trace({}, () => {}).add(input);
    const strings: string[] = [];
    JSON.stringify(record, (_key, value: unknown) => (typeof value === 'string' && strings.push(value), value));
    expect(Math.max(...strings.map((s) => s.length))).toBeLessThan(MAX_TRACE_STRING + 40);
    // Each field may have a string of its own; the values inside share one total.
    expect(JSON.stringify(record).length).toBeLessThan(MAX_TRACE_RECORD_CHARS * 1.5 + Object.keys(record).length * (MAX_TRACE_STRING + 40));
    expect(record.kind).toBe(input.kind);
  });

  it('keeps at most its characters in all, dropping the oldest records', () => {
    const trace = new Trace({ records: 1000, chars: 20_000 }, () => {});
    for (let i = 1; i <= 100; i++) trace.add(log(`${i} `.padEnd(1000, '.')));
    const records = trace.records();
    expect(records.length).toBeLessThanOrEqual(20);
    expect(records.length).toBeGreaterThanOrEqual(15);
    expect(records.at(-1)!.seq).toBe(100);
  });
});

describe('what the events log keeps of a call', () => {
  it("cuts the payload and the plugin's error, and keeps the rest as it is", () => {
    const entry = boundedEntry({
      pluginId: 'p',
      event: 'on_plugin_event',
      payload: { source_plugin: 'q', event_name: 'big', payload: 'x'.repeat(1_000_000) },
      result: 'error',
      error: 'y'.repeat(1_000_000),
      executionMs: 2,
      time: 5,
    });
    expect(JSON.stringify(entry.payload).length).toBeLessThan(10_000);
    expect(entry.payload).toMatchObject({ source_plugin: 'q', event_name: 'big' });
    expect(entry.error!.length).toBeLessThan(MAX_EVENTS_LOG_ERROR_CHARS + 40);
    expect(entry).toMatchObject({ pluginId: 'p', event: 'on_plugin_event', result: 'error', executionMs: 2, time: 5 });
    expect(boundedEntry({ pluginId: 'p', event: 'e', payload: {}, result: 'success', executionMs: 1, time: 1 })).not.toHaveProperty('error');
  });
});
