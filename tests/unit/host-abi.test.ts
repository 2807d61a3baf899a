import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import witText from '../../wit/plugin.wit?raw';
import world from '../../wit/plugin.wit?world';
import { HOST_FUNCTIONS, type HostFunctionName } from '../../src/shared/protocol.ts';
import { layout } from '../../src/worker/canon.ts';
import { parseWorld } from '../../src/shared/wit/parse.ts';
import { coreImport, hostSignature } from '../../src/worker/host-abi.ts';

// Node has no JSPI: a stand-in that keeps the function, so the test calls what the guest would.
class FakeSuspending {
  constructor(readonly fn: (...flat: number[]) => Promise<void>) {}
}
const wasm = WebAssembly as unknown as { Suspending?: unknown };
const original = wasm.Suspending;
beforeAll(() => void (wasm.Suspending = FakeSuspending));
afterAll(() => void (wasm.Suspending = original));

/** A guest memory with a bump allocator, as a plugin's `cabi_realloc` would hand out space. */
function guest(pages = 1, growOnAlloc = false) {
  const memory = new WebAssembly.Memory({ initial: pages, maximum: 16 });
  let next = 4096;
  const allocations: Array<[align: number, size: number]> = [];
  const realloc = (_old: number, _oldSize: number, align: number, size: number) => {
    allocations.push([align, size]);
    if (growOnAlloc) memory.grow(1);
    next = Math.ceil(next / align) * align;
    const at = next;
    next += size;
    return at;
  };
  const text = new TextEncoder();
  let scratch = 64;
  return {
    memory,
    realloc,
    allocations,
    view: () => new DataView(memory.buffer),
    /** Writes a string where the guest would keep it; returns its flat (ptr, len). */
    put(s: string): [number, number] {
      const bytes = text.encode(s);
      new Uint8Array(memory.buffer, scratch, bytes.length).set(bytes);
      const at = scratch;
      scratch += bytes.length + 8;
      return [at, bytes.length];
    },
    string(at: number): string {
      const v = new DataView(memory.buffer);
      return new TextDecoder().decode(new Uint8Array(memory.buffer, v.getUint32(at, true), v.getUint32(at + 4, true)));
    },
  };
}

type Core = FakeSuspending | ((...flat: number[]) => void);

function lower(fn: HostFunctionName, g: ReturnType<typeof guest>, answer: unknown) {
  const calls: unknown[][] = [];
  const core = coreImport(fn, g, (args) => {
    calls.push(args);
    return Promise.resolve(answer);
  }) as Core;
  const run = (...flat: number[]) => (core instanceof FakeSuspending ? core.fn(...flat) : core(...flat));
  return { calls, run };
}

const RET = 1024;

describe('host imports at the core level', () => {
  it('covers every host function the page answers, each as wit/plugin.wit declares it', () => {
    const declared = [...witText.matchAll(/^\s+([a-z-]+): func\(/gm)].map((m) => m[1]);
    const guestFunctions = ['metadata', 'on-event'];
    expect(declared.filter((name) => !guestFunctions.includes(name!)).sort()).toEqual([...HOST_FUNCTIONS].sort());
    for (const fn of HOST_FUNCTIONS) expect(hostSignature(fn).name).toBe(fn);
  });

  it('reads the WIT parsed when the worker was built, the same as parsing it now', () => {
    expect(world).toEqual(parseWorld(witText));
    expect(hostSignature('get-track').result).toMatchObject({ kind: 'result', ok: { kind: 'record', name: 'track-info' } });
  });

  it('passes get-config its key and stores some value, none, or the refusal where the guest reads them', async () => {
    const g = guest();
    const some = lower('get-config', g, { tag: 'ok', val: 'dark' });
    await some.run(...g.put('theme'), RET);
    expect(some.calls).toEqual([['theme']]);
    // result<option<string>, string>: ok, then some at 4, the string at 8.
    expect([g.view().getUint8(RET), g.view().getUint8(RET + 4)]).toEqual([0, 1]);
    expect(g.string(RET + 8)).toBe('dark');

    const none = lower('get-config', g, { tag: 'ok', val: undefined });
    await none.run(...g.put('missing'), RET);
    expect([g.view().getUint8(RET), g.view().getUint8(RET + 4)]).toEqual([0, 0]);

    const refused = lower('get-config', g, { tag: 'err', val: 'config access is not granted' });
    await refused.run(...g.put('theme'), RET);
    expect(g.view().getUint8(RET)).toBe(1);
    expect(g.string(RET + 4)).toBe('config access is not granted');
  });

  it('stores a string that is not ASCII in exactly the bytes it takes in UTF-8', async () => {
    const g = guest();
    const lyrics = 'Café 🎷 日本語 \ud800!';
    const call = lower('get-config', g, { tag: 'ok', val: lyrics });
    await call.run(...g.put('lyrics'), RET);
    expect(g.string(RET + 8)).toBe(lyrics.replace('\ud800', '\ufffd'));
    expect(g.allocations).toEqual([[1, new TextEncoder().encode(lyrics).length]]);
  });

  it('stores a track-info record at the canonical offsets, numbers and options included', async () => {
    const g = guest();
    const track = {
      id: 't1',
      title: 'Blue in Green',
      artistName: 'Miles Davis',
      albumTitle: 'Kind of Blue',
      durationSecs: 337.5,
      genre: undefined,
      year: 1959,
      format: 'flac',
      bitrate: undefined,
      sampleRate: 44100,
      playCount: 9007199254740993n,
    };
    await lower('get-track', g, { tag: 'ok', val: track }).run(...g.put('t1'), RET);
    const v = g.view();
    const at = RET + 8; // the record's alignment is 8 (f64, s64)
    expect(v.getUint8(RET)).toBe(0);
    expect([g.string(at), g.string(at + 8), g.string(at + 16)]).toEqual(['t1', 'Blue in Green', 'Miles Davis']);
    expect([v.getUint8(at + 24), g.string(at + 28)]).toEqual([1, 'Kind of Blue']);
    expect(v.getFloat64(at + 40, true)).toBe(337.5);
    expect(v.getUint8(at + 48)).toBe(0);
    expect([v.getUint8(at + 60), v.getInt32(at + 64, true)]).toEqual([1, 1959]);
    expect(g.string(at + 68)).toBe('flac');
    expect(v.getUint8(at + 76)).toBe(0);
    expect([v.getUint8(at + 84), v.getInt32(at + 88, true)]).toEqual([1, 44100]);
    expect(v.getBigInt64(at + 96, true)).toBe(9007199254740993n);
    expect(layout(hostSignature('get-track').result!)).toMatchObject({ size: 112, align: 8 });
  });

  it('lifts u32 arguments unsigned and a list of string pairs from the guest memory', async () => {
    const g = guest();
    const search = lower('search-tracks', g, { tag: 'ok', val: { tracks: [], total: 0n, page: 1, perPage: 20, totalPages: 0 } });
    await search.run(...g.put('miles'), -1, 20, RET);
    expect(search.calls).toEqual([['miles', 4294967295, 20]]);

    // Two (string, string) tuples of 16 bytes each, somewhere in the guest's memory.
    const pairs = 2048;
    const v = g.view();
    [...g.put('title'), ...g.put('So What'), ...g.put('year'), ...g.put('1959')].forEach((n, i) => v.setUint32(pairs + i * 4, n, true));
    const set = lower('set-track-metadata', g, { tag: 'ok', val: undefined });
    await set.run(...g.put('t1'), pairs, 2, RET);
    expect(set.calls).toEqual([
      [
        't1',
        [
          ['title', 'So What'],
          ['year', '1959'],
        ],
      ],
    ]);
    expect(v.getUint8(RET)).toBe(0);
  });

  it('stores a list of records in space it allocates with the guest allocator, aligned as the element', async () => {
    const g = guest();
    const users = [
      { id: 'u1', username: 'ada', displayName: 'Ada', role: 'admin', createdAt: '2026-01-01' },
      { id: 'u2', username: 'bob', displayName: undefined, role: 'user', createdAt: '2026-02-01' },
    ];
    await lower('list-users', g, { tag: 'ok', val: users }).run(1, 10, RET);
    const v = g.view();
    const [list, len] = [v.getUint32(RET + 4, true), v.getUint32(RET + 8, true)];
    expect(len).toBe(2);
    expect(g.allocations[0]).toEqual([4, 2 * 44]);
    expect([g.string(list + 8), g.string(list + 44 + 8)]).toEqual(['ada', 'bob']);
    expect([v.getUint8(list + 16), v.getUint8(list + 44 + 16)]).toEqual([1, 0]);
  });

  it('writes through the grown memory when the allocator grows it mid-result', async () => {
    const g = guest(1, true);
    await lower('get-current-timestamp', g, '2026-12-02T07:00:00Z').run(RET);
    expect(g.memory.buffer.byteLength).toBe(2 * 65536);
    expect(g.string(RET)).toBe('2026-12-02T07:00:00Z');
  });

  it('sends a log line at once, without suspending the guest', () => {
    const g = guest();
    const lines: unknown[][] = [];
    const core = coreImport('log-info', g, (args) => void lines.push(args));
    expect(core).toBeTypeOf('function');
    (core as (...flat: number[]) => void)(...g.put('hello'));
    expect(lines).toEqual([['hello']]);
  });

  it('traps, saying why, on an argument outside the guest memory', async () => {
    const g = guest();
    const bad = lower('get-config', g, { tag: 'ok', val: undefined });
    await expect(bad.run(65530, 100, RET)).rejects.toThrow('the plugin passed a string at 65530 of 100 bytes, outside its 65536-byte memory');
    await expect(bad.run(...g.put('k'), 70000)).rejects.toThrow(RangeError);
    expect(bad.calls).toHaveLength(1);
  });

  it('reports a host answer that does not fit its WIT type as the bug it is', async () => {
    const g = guest();
    const info = { name: 'n', version: 'v', domain: 'd', trackCount: 'many', userCount: 1n };
    await expect(lower('get-instance-info', g, info).run(RET)).rejects.toThrow('the host answered "many" where the WIT type needs a u64');
    const response = { status: 70000, headers: [], body: '' };
    await expect(lower('http-get', g, { tag: 'ok', val: response }).run(...g.put('https://x.test/'), 0, 0, RET)).rejects.toThrow(
      'the host answered 70000 where the WIT type needs a u16',
    );
  });
});
