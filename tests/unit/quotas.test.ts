// The per-call and per-plugin quotas, each at its edge: what passes, what is refused, and what
// the plugin reads when it is.
import { describe, expect, it } from 'vitest';
import { seedCatalog } from '../../src/host/catalog-data.ts';
import { trackPatchProblem } from '../../src/host/catalog.ts';
import { CallQuotas } from '../../src/host/call-quotas.ts';
import { ConfigStore } from '../../src/host/config-store.ts';
import type { PlaygroundDB } from '../../src/host/db.ts';
import {
  MAX_CONFIG_KEYS,
  MAX_CONFIG_TOTAL_BYTES,
  MAX_EMITS_PER_CALL,
  MAX_HOST_CALLS_PER_CALL,
  MAX_TRACK_EXTRA_FIELDS,
  MAX_TRACK_FIELD_CHARS,
  MAX_TRACK_LYRICS_CHARS,
} from '../../src/shared/limits.ts';
import type { PageToWorker, WorkerToPage } from '../../src/shared/protocol.ts';
import { HOST_CALL_QUOTA_REFUSAL, PagePort } from '../../src/worker/page-port.ts';

/** A config store on an in-memory stand-in for the config object store. */
function configStore() {
  const rows = new Map<string, { pluginId: string; key: string; value: string }>();
  const store = {
    put: async (row: { pluginId: string; key: string; value: string }) => void rows.set(`${row.pluginId}\n${row.key}`, row),
    delete: async () => {},
  };
  const db = {
    getAllFromIndex: async (_store: string, _index: string, pluginId: string) => [...rows.values()].filter((row) => row.pluginId === pluginId),
    transaction: () => ({ store, commit: () => {}, done: Promise.resolve() }),
  } as unknown as PlaygroundDB;
  return new ConfigStore(db);
}

describe('config quota per plugin', () => {
  it(`keeps at most ${MAX_CONFIG_KEYS} keys; overwriting one of them still works`, async () => {
    const config = configStore();
    for (let i = 0; i < MAX_CONFIG_KEYS; i++) await config.set('p', `k${i}`, 'v');
    await expect(config.set('p', 'one-more', 'v')).rejects.toThrow(`config is full: it holds ${MAX_CONFIG_KEYS} keys`);
    await config.set('p', 'k0', 'changed');
    expect(await config.get('p', 'k0')).toBe('changed');
    // Another plugin's config is its own.
    await config.set('q', 'k', 'v');
  });

  it(`holds at most ${MAX_CONFIG_TOTAL_BYTES} bytes of keys and values together`, async () => {
    const config = configStore();
    const value = 'x'.repeat(60 * 1024);
    const fits = Math.floor(MAX_CONFIG_TOTAL_BYTES / (value.length + 3));
    for (let i = 0; i < fits; i++) await config.set('p', `k${i}`, value);
    expect(await config.quotaProblem('p', 'another', value)).toMatch(
      /^config is full: with this value it would hold \d+ bytes; a plugin's config may hold at most 1048576$/,
    );
    // Replacing a value counts the new one instead of the old.
    expect(await config.quotaProblem('p', 'k0', value)).toBeUndefined();
  });
});

describe('track field sizes', () => {
  const track = seedCatalog(0).tracks[0]!;

  it('takes lyrics and fields up to their caps and refuses one character more, naming the field', () => {
    expect(trackPatchProblem(track, { lyrics: 'l'.repeat(MAX_TRACK_LYRICS_CHARS) })).toBeUndefined();
    expect(trackPatchProblem(track, { lyrics: 'l'.repeat(MAX_TRACK_LYRICS_CHARS + 1) })).toBe(
      `lyrics is ${MAX_TRACK_LYRICS_CHARS + 1} characters; a track keeps at most ${MAX_TRACK_LYRICS_CHARS}`,
    );
    expect(trackPatchProblem(track, { genre: 'g'.repeat(MAX_TRACK_FIELD_CHARS + 1) })).toMatch(/^genre is/);
    expect(trackPatchProblem(track, { extra: { mood: 'm'.repeat(MAX_TRACK_FIELD_CHARS + 1) } })).toMatch(/^mood is/);
  });

  it(`lets a track hold at most ${MAX_TRACK_EXTRA_FIELDS} extra fields, counting those it has`, () => {
    const full = { ...track, extra: Object.fromEntries(Array.from({ length: MAX_TRACK_EXTRA_FIELDS }, (_, i) => [`f${i}`, 'v'])) };
    expect(trackPatchProblem(full, { extra: { f0: 'changed' } })).toBeUndefined();
    expect(trackPatchProblem(full, { extra: { new_field: 'v' } })).toBe(
      `the track would have ${MAX_TRACK_EXTRA_FIELDS + 1} extra metadata fields; it may have at most ${MAX_TRACK_EXTRA_FIELDS}`,
    );
  });
});

describe('emits per call', () => {
  it(`admits ${MAX_EMITS_PER_CALL} emits a call, and as many again in the next call`, () => {
    const quotas = new CallQuotas('p', () => {});
    for (let i = 0; i < MAX_EMITS_PER_CALL; i++) expect(quotas.emitRefusal()).toBeUndefined();
    expect(quotas.emitRefusal()).toMatch(/^emit-event refused: this call has emitted/);
    quotas.reset();
    expect(quotas.emitRefusal()).toBeUndefined();
  });
});

describe('host calls per call, counted in the worker', () => {
  it(`posts ${MAX_HOST_CALLS_PER_CALL} host calls of one event, refuses the rest there with one notice, and counts afresh for the next event`, async () => {
    const channel = new MessageChannel();
    const page = channel.port2;
    const posted: WorkerToPage[] = [];
    // The page answers every host call at once.
    page.onmessage = (e: MessageEvent<WorkerToPage>) => {
      posted.push(e.data);
      if (e.data.kind === 'host-call') page.postMessage({ kind: 'host-result', id: e.data.id, result: { tag: 'ok', val: null } } satisfies PageToWorker);
    };
    const port = new PagePort(channel.port1);
    // A worker's own scope delivers at once; a port given to addEventListener waits for start().
    channel.port1.start();
    const results: string[] = [];
    port.serve(async () => {
      for (let i = 0; i < MAX_HOST_CALLS_PER_CALL + 3; i++) {
        const result = await port.call('get-current-timestamp', []);
        results.push(result.tag === 'ok' ? 'ok' : String(result.val));
      }
      return { result: { tag: 'ok', val: undefined }, logLines: 0 } as never;
    });
    const handled = (id: number) =>
      new Promise<void>((resolve) => {
        const before = page.onmessage!;
        page.onmessage = (e: MessageEvent<WorkerToPage>) => {
          (before as (e: MessageEvent<WorkerToPage>) => void)(e);
          if (e.data.kind === 'event-done' && e.data.id === id) {
            page.onmessage = before;
            resolve();
          }
        };
      });
    for (const id of [1, 2]) {
      const done = handled(id);
      page.postMessage({ kind: 'event', id, event: { kind: 'component', value: {} }, fuel: 1 } satisfies PageToWorker);
      await done;
    }
    channel.port1.close();
    expect(results.filter((r) => r === 'ok')).toHaveLength(2 * MAX_HOST_CALLS_PER_CALL);
    expect(results.filter((r) => r === HOST_CALL_QUOTA_REFUSAL)).toHaveLength(6);
    expect(posted.filter((m) => m.kind === 'host-call')).toHaveLength(2 * MAX_HOST_CALLS_PER_CALL);
    expect(posted.filter((m) => m.kind === 'output' && m.out.stream === 'refused' && m.out.text === HOST_CALL_QUOTA_REFUSAL)).toHaveLength(2);
  });
});
