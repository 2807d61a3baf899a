import { describe, expect, it } from 'vitest';
import type { TraceRecord } from '../../src/shared/trace-types.ts';
import { Trace } from '../../src/host/trace.ts';
import { JSON_VIEW_CHUNK_LINES, JSON_VIEW_LINES } from '../../src/shared/limits.ts';
import { TraceWindow, type TraceChange, type TraceEdit } from '../../src/ui/trace-window.ts';

const log = (pluginId: string, message: string) => ({ kind: 'log', pluginId, level: 'info', message }) as const;
/** The view's text after a change, as the editor applies it. */
const applied = (text: string, change: TraceChange) =>
  'text' in change ? change.text : (change.drop ? text.split('\n').slice(change.drop).join('\n') : text) + change.append;
const asEdit = (change: TraceChange): TraceEdit => {
  if ('text' in change) throw new Error('expected an edit, got a replacement');
  return change;
};
const seqsOf = (text: string) =>
  text
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line).seq as number);

describe('the trace', () => {
  it('keeps the newest records up to its capacity, dropping the oldest in chunks', () => {
    const trace = new Trace(100);
    for (let i = 1; i <= 250; i++) trace.add(log('p', `line ${i}`));
    const records = trace.records();
    expect(records.length).toBeLessThanOrEqual(110);
    expect(records.length).toBeGreaterThanOrEqual(100);
    expect(records.at(-1)!.seq).toBe(250);
    expect(records.map((r) => r.seq)).toEqual(Array.from({ length: records.length }, (_, i) => 251 - records.length + i));
  });

  it('holds 100,000 records by default', () => {
    const trace = new Trace();
    for (let i = 1; i <= 120_000; i++) trace.add(log('p', 'x'));
    expect(trace.records().length).toBeGreaterThanOrEqual(100_000);
    expect(trace.records().length).toBeLessThanOrEqual(110_000);
  });
});

describe('the JSON view of the trace', () => {
  it('starts with every matching record, one line each, oldest first', () => {
    const trace = new Trace();
    trace.add(log('a', 'one'));
    trace.add(log('b', 'two'));
    trace.add(log('a', 'three'));
    const window = new TraceWindow(() => true);
    window.reset(trace.records(), (r) => r.pluginId === 'a');
    const text = window.text();
    expect(text.split('\n')).toEqual([expect.stringContaining('"one"'), expect.stringContaining('"three"')]);
    expect(window.lines).toBe(2);
  });

  it('appends only the new records that match', () => {
    const trace = new Trace();
    const window = new TraceWindow((r) => r.kind === 'log' && r.pluginId === 'a');
    window.reset(trace.records());
    const added: TraceRecord[] = [trace.add(log('a', 'x')), trace.add(log('b', 'y')), trace.add({ kind: 'error', pluginId: 'a', message: 'z' })];
    const edit = asEdit(window.update(added, trace.records()[0]!.seq, true));
    expect(edit.drop).toBe(0);
    expect(seqsOf(edit.append)).toEqual([added[0]!.seq]);
    expect(window.lines).toBe(1);
  });

  it('drops exactly the lines whose records the trace forgot, so both stay bounded together', () => {
    const trace = new Trace(100);
    const window = new TraceWindow((r) => r.pluginId === 'a');
    window.reset(trace.records());
    let text = '';
    for (let round = 0; round < 30; round++) {
      const added: TraceRecord[] = [];
      for (let i = 0; i < 20; i++) added.push(trace.add(log(i % 2 ? 'a' : 'b', `${round}.${i}`)));
      text = applied(text, window.update(added, trace.records()[0]!.seq, round % 2 === 0));
    }
    expect(text.split('\n').every(Boolean)).toBe(true);
    const expected = trace
      .records()
      .filter((r) => r.pluginId === 'a')
      .map((r) => r.seq);
    expect(seqsOf(text)).toEqual(expected);
    expect(window.lines).toBe(expected.length);
  });

  it('starts over when all its records are gone, including records added and forgotten in one batch', () => {
    const trace = new Trace(10);
    const window = new TraceWindow(() => true);
    window.reset(trace.records());
    window.update([trace.add(log('a', 'old'))], 1, false);
    const added = Array.from({ length: 30 }, (_, i) => trace.add(log('a', `${i}`)));
    const change = window.update(added, trace.records()[0]!.seq, false);
    expect(change).toEqual({ text: expect.stringMatching(/^\{/) });
    expect(seqsOf(applied('', change))).toEqual(trace.records().map((r) => r.seq));
  });

  it('following the end, holds only the newest lines, and formats none of a flood but them', () => {
    const trace = new Trace();
    const window = new TraceWindow(() => true);
    for (let i = 0; i < 1500; i++) trace.add(log('a', `${i}`));
    window.reset(trace.records());
    let text = window.text();
    expect(seqsOf(text)).toEqual(
      trace
        .records()
        .slice(-JSON_VIEW_LINES)
        .map((r) => r.seq),
    );
    expect(window.firstLine).toBe(1500 - JSON_VIEW_LINES);
    expect(window.lines).toBe(1500);

    const few = Array.from({ length: 10 }, (_, i) => trace.add(log('a', `few ${i}`)));
    const edit = asEdit(window.update(few, 1, true));
    expect(edit.drop).toBe(10);
    text = applied(text, edit);
    expect(seqsOf(text)).toEqual(
      trace
        .records()
        .slice(-JSON_VIEW_LINES)
        .map((r) => r.seq),
    );

    const flood = Array.from({ length: 3 * JSON_VIEW_LINES }, (_, i) => trace.add(log('a', `flood ${i}`)));
    const change = window.update(flood, 1, true);
    expect('text' in change && change.text.split('\n')).toHaveLength(JSON_VIEW_LINES);
    expect(seqsOf(applied(text, change))).toEqual(flood.slice(-JSON_VIEW_LINES).map((r) => r.seq));
    expect(window.firstLine).toBe(window.lines - JSON_VIEW_LINES);
  });

  it('scrolled up, keeps every line it holds and takes in older ones a chunk at a time, down to the first', () => {
    const trace = new Trace();
    const window = new TraceWindow(() => true);
    for (let i = 0; i < JSON_VIEW_LINES + JSON_VIEW_CHUNK_LINES * 1.5; i++) trace.add(log('a', `${i}`));
    window.reset(trace.records());
    let text = window.text();
    const more = Array.from({ length: 2 * JSON_VIEW_LINES }, (_, i) => trace.add(log('a', `more ${i}`)));
    text = applied(text, window.update(more, 1, false));
    expect(text.split('\n')).toHaveLength(3 * JSON_VIEW_LINES);

    const chunks: number[] = [];
    for (let older = window.older(); older; older = window.older()) {
      chunks.push(older.lines);
      expect(older.text.endsWith('\n')).toBe(true);
      text = older.text + text;
    }
    expect(chunks).toEqual([JSON_VIEW_CHUNK_LINES, JSON_VIEW_CHUNK_LINES / 2]);
    expect(window.firstLine).toBe(0);
    expect(seqsOf(text)).toEqual(trace.records().map((r) => r.seq));
  });
});

describe('the size of trace records', () => {
  it('cuts long plugin-supplied strings and big byte arrays, saying how much, and keeps small ones whole', () => {
    const trace = new Trace();
    const body = 'x'.repeat(1_000_000);
    const record = trace.add({
      kind: 'host-call',
      pluginId: 'p',
      fn: 'http-get',
      args: ['https://example.com/', [['accept', 'text/plain']]],
      result: { tag: 'ok', val: { status: 200, body, bytes: new Uint8Array(10_000) } },
      durationMs: 1,
    });
    if (record.kind !== 'host-call') throw new Error('not a host call');
    expect(record.args).toEqual(['https://example.com/', [['accept', 'text/plain']]]);
    const val = (record.result as { val: { status: number; body: string; bytes: unknown } }).val;
    expect(val.status).toBe(200);
    expect(val.body).toBe(`${'x'.repeat(4096)}… [995904 more characters]`);
    expect(val.bytes).toBe('<10000 bytes>');
    const log = trace.add({ kind: 'log', pluginId: 'p', level: 'info', message: 'short' });
    expect(log).toMatchObject({ message: 'short' });
  });
});
