// Figure 7: the anchor. Extism's JS SDK running its count_vowels plugin (compiled Rust), in the
// page and in its worker mode, next to our host running a plugin that does the same work in
// QuickJS and in hand-written WAT, at three input sizes.
import createPlugin, { type Plugin } from '@extism/extism';
import type { TraceRecord } from '../../../src/shared/trace-types.ts';
import type { PluginBridge } from '../../../src/host/plugin-bridge.ts';
import { BareWorker } from '../baselines.ts';
import { benchEvent, witEvent } from '../events.ts';
import type { BenchHost, Component } from '../host.ts';
import { progress, rounds, row, timeEach, type Row } from '../stats.ts';

const AMPLE_FUEL = 1_000_000_000_000;

const SIZES = [
  { label: '16 B', bytes: 16, calls: 300 },
  { label: '1 KiB', bytes: 1024, calls: 300 },
  { label: '64 KiB', bytes: 64 * 1024, calls: 60 },
];

function text(bytes: number): string {
  const line = 'The quick brown fox jumps over the lazy dog; pack my box with five dozen liquor jugs. ';
  return line.repeat(Math.ceil(bytes / line.length)).slice(0, bytes);
}

/** The count in the last line each plugin logged, as the host traced it. */
function lastCounts(h: BenchHost): { of(pluginId: string): number | undefined; stop(): void } {
  const last = new Map<string, string>();
  h.trace.onAdd = (record: TraceRecord) => {
    if (record.kind === 'log') last.set(record.pluginId, record.message);
  };
  return {
    of: (pluginId) => (JSON.parse(last.get(pluginId) ?? '{}') as { count?: number }).count,
    stop: () => (h.trace.onAdd = undefined),
  };
}

async function ok(outcome: Promise<{ result: string; error?: string }>): Promise<void> {
  const { result, error } = await outcome;
  if (result !== 'success') throw new Error(`count-vowels failed: ${result} ${error ?? ''}`);
}

export interface ExtismSubjects {
  extismWasm: Uint8Array;
  vowels: Component;
  vowelsWat: Component;
  /** The WAT plugin installed in the plugin manager, for the dispatch path. */
  vowelsWatId: string;
}

export async function extism(h: BenchHost, s: ExtismSubjects): Promise<Row[]> {
  const F = '7 vs Extism';
  const manifest = { wasm: [{ data: s.extismWasm }] };
  const inPage: Plugin = await createPlugin(manifest, { useWasi: false, runInWorker: false });
  const inWorker: Plugin = await createPlugin(manifest, { useWasi: false, runInWorker: true });
  // Figure 7 compares call costs, not budgets: fuel to spare (figure 9 counts it).
  const qjs = h.bridge('extism:vowels', s.vowels, { fuel: AMPLE_FUEL });
  const wat = h.bridge('extism:vowels-wat', s.vowelsWat, { fuel: AMPLE_FUEL });
  await Promise.all([qjs.start(), wat.start()]);
  await h.only([s.vowelsWatId]);
  const { bare } = await BareWorker.spawn();
  const logged = lastCounts(h);

  const rows: Row[] = [];
  for (const size of SIZES) {
    const input = text(size.bytes);
    // The same answer from everyone first: this is the same work.
    const expected = (await inWorker.call('count_vowels', input))!.json().count as number;
    const inPageCount = (await inPage.call('count_vowels', input))!.json().count as number;
    const event = witEvent(input, 'count-vowels');
    const mediaEvent = benchEvent(input, 'count-vowels');
    const call = (bridge: PluginBridge) => () => ok(bridge.deliver(event, 0));
    await call(qjs)();
    await call(wat)();
    await h.dispatcher.dispatch(mediaEvent);
    const counts = [inPageCount, logged.of('extism:vowels'), logged.of('extism:vowels-wat'), logged.of(s.vowelsWatId)];
    if (counts.some((c) => c !== expected)) throw new Error(`count_vowels disagrees at ${size.label}: Extism ${expected}, others ${counts.join(', ')}`);

    progress(`count vowels, ${size.label}`);
    const R = 6;
    const n = Math.ceil(size.calls / R);
    const [raw, extismPage, extismWorker, oursQjs, oursWat, oursDispatch] = await rounds(R, [
      () => timeEach(n, () => bare.roundTrip(input)),
      () => timeEach(n, () => inPage.call('count_vowels', input)),
      () => timeEach(n, () => inWorker.call('count_vowels', input)),
      () => timeEach(n, call(qjs)),
      () => timeEach(n, call(wat)),
      () => timeEach(n, () => h.dispatcher.dispatch(mediaEvent)),
    ]);
    const extismBase = { name: 'Extism runInWorker (compiled Rust guest)', samples: extismWorker! };
    const at = `, ${size.label}`;
    rows.push(
      row(F, `Extism runInWorker${at}`, 'ms', extismWorker!, { name: 'raw postMessage of the input to a bare worker and back', samples: raw! }),
      row(F, `Extism in the page${at}`, 'ms', extismPage!, extismBase),
      row(F, `ours, QuickJS guest, call${at}`, 'ms', oursQjs!, extismBase, {
        target: size.bytes === 16 ? (ratio) => ratio && { text: '≤ 0.25× Extism runInWorker (4× cheaper, median)', met: ratio.median <= 0.25 } : undefined,
      }),
      row(F, `ours, WAT guest, call${at}`, 'ms', oursWat!, extismBase, {
        target: (ratio) => ratio && { text: '≤ 1× Extism runInWorker (median)', met: ratio.median <= 1 },
      }),
      row(F, `ours, WAT guest, dispatch${at}`, 'ms', oursDispatch!, extismBase),
    );
  }
  logged.stop();
  bare.terminate();
  qjs.stop();
  wat.stop();
  await Promise.all([inPage.close(), inWorker.close()]);
  await h.only([]);
  return rows;
}
