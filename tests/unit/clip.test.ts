import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { clipFields, clipText, clipValue, ownCopy } from '../../src/host/clip.ts';
import { Trace } from '../../src/host/trace.ts';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const MiB = 1024 * 1024;

/** Bytes the JS heap holds once garbage is collected. */
function heldBytes(): number {
  gc();
  gc();
  const { heapUsed, external } = process.memoryUsage();
  return heapUsed + external;
}

/** A string of its own, `mib` MiB long, different from every other one made here. */
let made = 0;
function bigLine(mib: number): string {
  const line = `line ${made++} `.padEnd(32, '.').repeat((mib * MiB) / 32);
  line.charCodeAt(1); // makes it one flat string, as a line read from a worker message is
  return line;
}

describe('what the host keeps of a long string', () => {
  // The leak this guards against: V8 keeps the string a slice was cut from as long as the slice.
  it('a log line cut from a 5 MiB one, kept by the trace, does not keep the 5 MiB', () => {
    const trace = new Trace();
    const before = heldBytes();
    for (let i = 0; i < 20; i++) trace.add({ kind: 'log', pluginId: 'p', level: 'info', message: bigLine(5).slice(0, 2048) });
    expect(heldBytes() - before).toBeLessThan(10 * MiB);
    expect(trace.records()).toHaveLength(20);
  });

  it('(the same slices kept as they are do keep every 5 MiB: the check above can see the leak)', () => {
    const before = heldBytes();
    const slices = Array.from({ length: 20 }, () => bigLine(5).slice(0, 2048));
    expect(heldBytes() - before).toBeGreaterThan(80 * MiB);
    expect(slices).toHaveLength(20);
  });

  it('clipped text is copied out too, and a short string shared by many records is one copy', () => {
    const before = heldBytes();
    const kept = Array.from({ length: 20 }, () => clipText(bigLine(5), 100));
    expect(heldBytes() - before).toBeLessThan(10 * MiB);
    expect(kept[0]).toMatch(/^line \d+ \..*… \[5242780 more characters\]$/);
    expect(kept[0]!.length).toBe(100 + '… [5242780 more characters]'.length);
    expect(ownCopy('permission granted: config_access')).toBe(ownCopy('permission granted: config_access'));
  });

  it('cuts at a character, never inside a surrogate pair', () => {
    expect(clipText('ab😀cd', 3)).toBe('ab… [4 more characters]');
    expect(clipText('short', 10)).toBe('short');
  });
});

describe('what the host keeps of a plugin-supplied value', () => {
  const limits = { string: 100, total: 1000 };

  it('cuts a long list once the total is spent, saying how many items went', () => {
    const { value, chars } = clipValue(
      Array.from({ length: 10_000 }, (_, i) => `header-${i}`),
      limits,
    );
    expect(value.length).toBeLessThan(200);
    expect(value.at(-1)).toMatch(/^… \[\d+ more items\]$/);
    expect(chars).toBeLessThan(limits.total + 100);
  });

  it('copies just the bytes a small view shows, and names a big one by its size', () => {
    const huge = new ArrayBuffer(64 * MiB);
    const { value } = clipValue({ small: new Uint8Array(huge, 10, 16), big: new Uint8Array(huge), view: new DataView(huge, 0, 8) }, limits);
    expect(value.small).toBeInstanceOf(Uint8Array);
    expect((value.small as Uint8Array).buffer.byteLength).toBe(16);
    expect(value.big).toBe(`<${64 * MiB} bytes>`);
    expect(value.view).toBe('<8 bytes>');
  });

  it('cuts nesting past its depth limit', () => {
    let deep: unknown = 'bottom';
    for (let i = 0; i < 100; i++) deep = [deep];
    expect(JSON.stringify(clipValue(deep, limits).value)).toContain('nested too deep');
  });

  it('keeps every field of the record itself, numbers whole, even once the values inside spent the total', () => {
    const { value } = clipFields(
      { kind: 'host-call', args: ['x'.repeat(5000), 'y'.repeat(5000)], durationMs: 1.5, reason: 'z'.repeat(500) },
      { string: 100, total: 100 },
    );
    expect(value.durationMs).toBe(1.5);
    expect(value.kind).toBe('host-call');
    expect(value.reason).toBe(`${'z'.repeat(100)}… [400 more characters]`);
    expect(value.args).toEqual([expect.stringMatching(/^x+… \[49\d\d more characters\]$/), '… [1 more items]']);
  });

  it('keeps a field named __proto__ as a field', () => {
    const payload = JSON.parse('{"__proto__": {"polluted": true}, "ok": 1}') as Record<string, unknown>;
    const { value } = clipValue(payload, limits);
    expect(Object.keys(value)).toEqual(['__proto__', 'ok']);
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
  });
});
