import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import world from '../../wit/plugin.wit?world';
import { toWitEvent } from '../../src/shared/events.ts';
import type { WitType } from '../../src/shared/wit/model.ts';
import { MemoryAccess } from '../../src/worker/canon.ts';
import { lowerer, resultLoader, type FlatValue } from '../../src/worker/canon-flat.ts';
import { coreOnEvent, GuestErr, type CoreInstance } from '../../src/worker/guest-abi.ts';

// Node has no JSPI: a stand-in that calls the core function as the promising wrapper would.
const wasm = WebAssembly as unknown as { promising?: unknown };
const original = wasm.promising;
beforeAll(
  () =>
    void (wasm.promising =
      (fn: (...flat: FlatValue[]) => number) =>
      async (...flat: FlatValue[]) =>
        fn(...flat)),
);
afterAll(() => void (wasm.promising = original));

/** A guest memory with a bump allocator, as a plugin's `cabi_realloc` would hand out space. */
function guest() {
  const memory = new WebAssembly.Memory({ initial: 1 });
  let next = 1024;
  const realloc = (_old: number, _oldSize: number, align: number, size: number) => {
    next = Math.ceil(next / align) * align;
    const at = next;
    next += size;
    return at;
  };
  const text = (ptr: FlatValue, len: FlatValue) => new TextDecoder().decode(new Uint8Array(memory.buffer, Number(ptr), Number(len)));
  return { memory, realloc, text, access: new MemoryAccess({ memory, realloc }) };
}

const guestInterface = world.exports.find((item) => item.kind === 'interface' && item.iface.name === 'guest');
const onEvent = guestInterface?.kind === 'interface' ? guestInterface.iface.functions.find((fn) => fn.name === 'on-event')! : undefined;
const eventType = onEvent!.params[0]!.type;

function lowered(event: Parameters<typeof toWitEvent>[0]) {
  const g = guest();
  const flat: FlatValue[] = [];
  lowerer(eventType).lower(g.access, toWitEvent(event), flat);
  return { flat, text: g.text };
}

describe("the event lowered to on-event's flat arguments", () => {
  it('has the flat types jco gives the core function: a case, then slots joined across the cases', () => {
    expect(lowerer(eventType).flat).toEqual(['i32', 'i32', 'i32', 'i64', 'i64', 'i32', 'i32', 'i32', 'i32', 'i32']);
  });

  it('passes a plugin event as its case and three strings in the guest memory, an i32 widened where the slot is i64', () => {
    const { flat, text } = lowered({ name: 'on_plugin_event', payload: { source_plugin: 'bench', event_name: 'ping', payload: '{"n":1}' } });
    expect(flat[0]).toBe(9);
    expect(typeof flat[3]).toBe('bigint');
    expect(text(flat[1]!, flat[2]!)).toBe('bench');
    expect(text(flat[3]!, flat[4]!)).toBe('ping');
    expect(text(flat[5]!, flat[6]!)).toBe('{"n":1}');
    expect(flat.slice(7)).toEqual([0, 0, 0]);
  });

  it('passes u64 counters as they are and an absent or present option', () => {
    const scan = lowered({ name: 'on_library_scan_complete', payload: { library_id: 'main', tracks_added: 3, tracks_removed: 2 ** 40 } });
    expect(scan.flat.slice(0, 1)).toEqual([3]);
    expect(scan.flat.slice(3, 5)).toEqual([3n, 2n ** 40n]);
    expect(scan.flat.slice(5)).toEqual([0, 0, 0, 0, 0]);

    const without = lowered({ name: 'on_track_added', payload: { track_id: 't1', title: 'Solar', artist: 'Miles', album: undefined } });
    expect(without.flat.slice(7)).toEqual([0, 0, 0]);
    const withAlbum = lowered({ name: 'on_track_added', payload: { track_id: 't1', title: 'Solar', artist: 'Miles', album: 'Walkin’' } });
    expect(withAlbum.flat[7]).toBe(1);
    expect(withAlbum.text(withAlbum.flat[8]!, withAlbum.flat[9]!)).toBe('Walkin’');
    expect(withAlbum.flat[9]).toBe(9); // UTF-8 bytes, not UTF-16 units
  });

  it('refuses a case the variant does not have, and a type it does not cover', () => {
    const g = guest();
    expect(() => lowerer(eventType).lower(g.access, { tag: 'track-renamed', val: {} }, [])).toThrow(/one of the cases track-added/);
    expect(() => lowerer({ kind: 'f32' } as WitType)).toThrow(/does not cover f32/);
  });
});

describe("on-event's result read from the guest's memory", () => {
  const read = resultLoader(onEvent!.result!);
  it('reads ok, and err with its text', () => {
    const g = guest();
    const view = new DataView(g.memory.buffer);
    view.setUint8(64, 0);
    expect(read(g.access, 64)).toEqual({ tag: 'ok', val: undefined });
    new Uint8Array(g.memory.buffer, 200, 4).set(new TextEncoder().encode('nope'));
    view.setUint8(64, 1);
    view.setUint32(68, 200, true);
    view.setUint32(72, 4, true);
    expect(read(g.access, 64)).toEqual({ tag: 'err', val: 'nope' });
  });
});

const NAME = 'playground:plugin/guest@0.1.0#on-event';

/** A core instance exporting on-event that answers with `answer`, recording what it was passed. */
function coreWith(g: ReturnType<typeof guest>, answer: 'ok' | 'err', extra: Record<string, unknown> = {}) {
  const calls: FlatValue[][] = [];
  const postReturns: number[] = [];
  const exports = {
    [NAME]: (...flat: FlatValue[]) => {
      calls.push(flat);
      const view = new DataView(g.memory.buffer);
      view.setUint8(64, answer === 'ok' ? 0 : 1);
      if (answer === 'err') {
        new Uint8Array(g.memory.buffer, 200, 3).set(new TextEncoder().encode('bad'));
        view.setUint32(68, 200, true);
        view.setUint32(72, 3, true);
      }
      return 64;
    },
    [`cabi_post_${NAME}`]: (ptr: number) => void postReturns.push(ptr),
    cabi_realloc: g.realloc,
    ...extra,
  };
  const core: CoreInstance = { instance: { exports } as unknown as WebAssembly.Instance, imports: { env: { memory: g.memory } } };
  return { core, calls, postReturns };
}

describe('on-event called on the core function', () => {
  it('lowers the event, calls the function, reads its ok and runs its post-return', async () => {
    const g = guest();
    const { core, calls, postReturns } = coreWith(g, 'ok');
    const call = coreOnEvent([core])!;
    await call(toWitEvent({ name: 'on_track_deleted', payload: { track_id: 'gone' } }));
    expect(calls).toHaveLength(1);
    expect(calls[0]![0]).toBe(2);
    expect(g.text(calls[0]![1]!, calls[0]![2]!)).toBe('gone');
    expect(postReturns).toEqual([64]);
  });

  it("turns the guest's err into the error jco's export throws, after its post-return", async () => {
    const g = guest();
    const { core, postReturns } = coreWith(g, 'err');
    const failed = await coreOnEvent([core])!(toWitEvent({ name: 'on_track_deleted', payload: { track_id: 'x' } })).catch((e: unknown) => e);
    expect(failed).toBeInstanceOf(GuestErr);
    expect((failed as GuestErr).payload).toBe('bad');
    expect(postReturns).toEqual([64]);
  });

  it('leaves the call to jco when the function, its memory or its allocator cannot be told for sure', () => {
    const g = guest();
    expect(coreOnEvent([])).toBeUndefined();
    // Two memories within reach: which one the strings go in is not known.
    expect(coreOnEvent([coreWith(g, 'ok', { memory: new WebAssembly.Memory({ initial: 1 }) }).core])).toBeUndefined();
    expect(coreOnEvent([coreWith(g, 'ok', { cabi_realloc: undefined }).core])).toBeUndefined();
    // Two instances exporting the function.
    expect(coreOnEvent([coreWith(g, 'ok').core, coreWith(g, 'ok').core])).toBeUndefined();
    // The one instance, with its memory exported rather than given: found.
    const own = coreWith(g, 'ok', { memory: g.memory });
    expect(coreOnEvent([{ ...own.core, imports: {} }])).toBeTypeOf('function');
  });
});
