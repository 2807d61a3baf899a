// Figures 1-3: an event's round trip, a host call's round trip, and throughput, each next to
// the same thing done with bare workers and raw postMessage.
import type { TraceRecord } from '../../../src/shared/trace-types.ts';
import { BareWorker, keptAwake } from '../baselines.ts';
import { benchEvent, witEvent } from '../events.ts';
import type { BenchHost, Component } from '../host.ts';
import { progress, rounds, row, summarize, timeEach, type Row } from '../stats.ts';

export const atMost = (limit: number, what: string) => (ratio: Row['ratio']) => ratio && { text: `≤ ${limit}× ${what} (median)`, met: ratio.median <= limit };

async function expectSuccess(outcome: Promise<{ result: string; error?: string }>): Promise<void> {
  const { result, error } = await outcome;
  if (result !== 'success') throw new Error(`a benchmark call failed: ${result} ${error ?? ''}`);
}

/** Figure 1. `noopId` is the installed QuickJS plugin that does nothing. */
export async function eventRoundTrip(h: BenchHost, noop: Component, noopId: string): Promise<Row[]> {
  await h.only([noopId]);
  // The same event delivered to the same plugin inside a bare worker: what is left without messages.
  const { bare: inside } = await BareWorker.spawn();
  const inWorker = await inside.pluginEvents(await h.transpiled(noop), 1000);
  inside.terminate();
  const { bare: insideJco } = await BareWorker.spawn();
  const inWorkerJco = await insideJco.pluginEvents(await h.transpiled(noop), 1000, true);
  insideJco.terminate();
  const guestMs = summarize(inWorker).median;
  const { bare } = await BareWorker.spawn();
  const comlink = bare.viaComlink();
  const call = h.bridge('call:noop', noop);
  await call.start();
  const event = benchEvent('{}');
  const wit = witEvent('{}');
  const N = 100;
  // Each dispatch's split, by its event-result record: the guest's own time, as its worker counted it, and the rest of the delivery.
  const guest: number[] = [];
  const delivery: number[] = [];
  const dispatchSplit = async () => {
    h.trace.onAdd = (record: TraceRecord) => {
      if (record.kind !== 'event-result' || record.pluginId !== noopId || record.guestMs === undefined) return;
      guest.push(record.guestMs);
      delivery.push(record.durationMs);
    };
    try {
      return await timeEach(N, () => h.dispatcher.dispatch(event));
    } finally {
      h.trace.onAdd = undefined;
    }
  };
  progress('event round trip');
  const [raw, working, viaComlink, dispatched, delivered] = await rounds(15, [
    () => timeEach(N, () => bare.roundTrip()),
    () => timeEach(N, () => bare.roundTrip(undefined, guestMs)),
    () => timeEach(N, () => comlink.echo(0)),
    dispatchSplit,
    () => timeEach(N, () => expectSuccess(call.deliver(wit, 0))),
  ]);
  progress('event round trip, the cores kept awake');
  const [rawAwake, dispatchedAwake] = await keptAwake(() =>
    rounds(15, [() => timeEach(N, () => bare.roundTrip()), () => timeEach(N, () => h.dispatcher.dispatch(event))]),
  );
  bare.terminate();
  call.stop();
  const base = { name: 'raw postMessage round trip to a bare worker', samples: raw! };
  const workingBase = { name: `the same raw round trip, the worker busy ${us(inWorker)} (the guest's time) before it answers`, samples: working! };
  const awakeBase = { name: 'the same raw round trip, the cores kept awake', samples: rawAwake! };
  const F = '1 event round trip';
  return [
    row(F, 'dispatch to a QuickJS plugin (dispatcher, trace, events log, worker)', 'ms', dispatched!, base, {
      target: atMost(2, 'raw postMessage'),
      note:
        `median split: the guest's own time as its worker counted it ${us(guest)}, the messages and the worker's port ${us(delivery.map((ms, i) => ms - guest[i]!))}, ` +
        `the page before and after the delivery ${micros(summarize(dispatched!).median - summarize(delivery).median)}; ` +
        `the guest alone in a bare worker ${us(inWorker)}; a raw round trip whose worker is busy that long takes ${us(working!)} ` +
        `(${ratioOf(working!, raw!)} raw: a page that waits longer sleeps deeper); ${awakeSplit(dispatched!, raw!, dispatchedAwake!, rawAwake!)}`,
    }),
    row(F, 'dispatch to a QuickJS plugin', 'ms', dispatched!, workingBase),
    row(F, `raw round trip, the worker busy ${us(inWorker)} before it answers`, 'ms', working!, base),
    row(F, 'dispatch to a QuickJS plugin, the cores kept awake by a spinning worker', 'ms', dispatchedAwake!, awakeBase),
    row(F, 'call into the plugin (PluginBridge.deliver: queue, watchdog, messages on its channel)', 'ms', delivered!, base),
    row(F, 'bare Comlink call to a bare worker', 'ms', viaComlink!, base),
    row(F, 'dispatch to a QuickJS plugin', 'ms', dispatched!, { name: 'bare Comlink call', samples: viaComlink! }),
    row(F, 'the event delivered inside the worker (no message: the guest, called on its core function)', 'ms', inWorker, base),
    row(F, 'the same event inside the worker, through the export jco generates (its task machinery)', 'ms', inWorkerJco, {
      name: 'the same, called on the core function',
      samples: inWorker,
    }),
  ];
}

/** A time in ms, written in µs. */
const micros = (ms: number) => `${(ms * 1000).toFixed(0)} µs`;
/** The median of samples in ms, written in µs. */
const us = (samples: number[]) => micros(summarize(samples).median);
const ratioOf = (subject: number[], base: number[]) => `${(summarize(subject).median / summarize(base).median).toFixed(1)}×`;

/**
 * How much of a round trip is threads waking from idle: the same pair measured with the cores
 * kept awake, and measured free to idle.
 */
function awakeSplit(subject: number[], raw: number[], subjectAwake: number[], rawAwake: number[]): string {
  return `with the cores kept awake ${us(subjectAwake)} against raw ${us(rawAwake)}, free to idle ${us(subject)} against ${us(raw)} (the difference is waking threads)`;
}

/** Where each host call's time went: the page's host function, the worker between calls, and the messages. */
type CallParts = { host: number[]; worker: number[]; messages: number[] };

/**
 * The time between consecutive calls of `fn` from `pluginId` as the host sees them: one guest
 * -> host -> guest round trip each (the guest does nothing else in between). Each is split into
 * `parts` by its trace record: the host function's own time, and the guest's time between the
 * two asks as its worker counted it (`guestMs`); what is left is the messages both ways.
 */
function hostCallIntervals(h: BenchHost, pluginId: string, fn: string, parts: CallParts): { stop(): number[] } {
  const arrivals: number[] = [];
  let last: TraceRecord | undefined;
  h.trace.onAdd = (record: TraceRecord) => {
    if (record.kind !== 'host-call' || record.pluginId !== pluginId || record.fn !== fn) return;
    const now = performance.now();
    if (last?.kind === 'host-call' && record.guestMs !== undefined && last.guestMs !== undefined) {
      const worker = record.guestMs - last.guestMs;
      parts.host.push(record.durationMs);
      parts.worker.push(worker);
      parts.messages.push(now - arrivals.at(-1)! - record.durationMs - worker);
    }
    arrivals.push(now);
    last = record;
  };
  return {
    stop() {
      h.trace.onAdd = undefined;
      return arrivals.slice(1).map((t, i) => t - arrivals[i]!);
    },
  };
}

/** Figure 2. `hostCallsId` is the installed plugin that calls a host function in a loop. */
export async function hostCallRoundTrip(h: BenchHost, hostCalls: Component, hostCallsId: string): Promise<Row[]> {
  await h.only([hostCallsId]);
  await h.config.set(hostCallsId, 'bench-key', 'a config value');
  const { bare } = await BareWorker.spawn();
  const CALLS = 200;
  const noParts = (): CallParts => ({ host: [], worker: [], messages: [] });
  const parts = new Map<string, CallParts>([
    ['get-config', noParts()],
    ['get-current-timestamp', noParts()],
  ]);
  /** `partsInto`: where each call's split goes (the notes read those of the plain runs). */
  const loop =
    (fn: string, partsInto = parts.get(fn)!) =>
    async () => {
      const intervals = hostCallIntervals(h, hostCallsId, fn, partsInto);
      await h.dispatcher.dispatch(benchEvent(String(CALLS), fn));
      const samples = intervals.stop();
      if (samples.length !== CALLS - 1) throw new Error(`expected ${CALLS} ${fn} calls, saw ${samples.length + 1}`);
      return samples;
    };
  progress('host call round trip');
  const files = await h.transpiled(hostCalls);
  // What the plugin's worker does between two asks (resuming the guest, the guest, lifting and
  // storing), as its own stamps say: the raw round trip is then made to wait as long. (The
  // plugin against a bare JSPI import, each answered in its worker after a message hop, says
  // more than this: answered at once the plugin's call costs about 5 µs in all, but with a hop
  // it costs 10-25 µs more than the bare import's, and most of both is the hop's own channel.)
  const warmUp = noParts();
  await loop('get-config', warmUp)();
  await loop('get-config', warmUp)();
  const workMs = summarize(warmUp.worker).median;
  const posting: number[] = [];
  const [raw, working, viaComlink, getConfig, timestamp, trivialHost, inWorker, bareJspi] = await rounds(10, [
    () => bare.workerAsks(CALLS, undefined, posting),
    () => bare.workerAsks(CALLS, workMs),
    () => bare.workerAsksViaComlink(CALLS),
    loop('get-config'),
    loop('get-current-timestamp'),
    // The same plugin in a bare worker, answered by a trivial host on the page through Comlink.
    () => inBareWorker((w) => w.pluginHostCalls(files, 'get-config', CALLS, 2, 'page')),
    // ... and answered in its own worker after one message hop: no thread crossed at all.
    () => inBareWorker((w) => w.pluginHostCalls(files, 'get-config', CALLS, 2, 'worker')),
    () => inBareWorker((w) => w.jspiHostCalls(CALLS, 2)),
  ]);
  progress('host call round trip, the cores kept awake');
  const [rawAwake, getConfigAwake] = await keptAwake(() => rounds(10, [() => bare.workerAsks(CALLS), loop('get-config', noParts())]));
  bare.terminate();
  const base = { name: 'raw postMessage round trip asked by a bare worker', samples: raw! };
  const awakeBase = { name: 'the same raw round trip, the cores kept awake', samples: rawAwake! };
  const F = '2 host call round trip';
  const split = (fn: string) => {
    const { host, worker, messages } = parts.get(fn)!;
    return (
      `median split: the host function itself ${us(host)}, the worker between asks (the guest, lifting and storing, JSPI) ${us(worker)}, ` +
      `the messages both ways ${us(messages)} (in the raw round trip the page's postMessage call alone took ${us(posting)}: ` +
      `its sender pays for waking the thread it posts to, and a host call posts twice)`
    );
  };
  return [
    row(F, 'get-config (permission check, config store, trace)', 'ms', getConfig!, base, {
      target: atMost(2, 'raw postMessage'),
      note:
        `${split('get-config')}; a raw round trip whose worker is busy ${micros(workMs)} between asks (as long as the plugin's worker is between two of its asks) takes ` +
        `${us(working!)} (${ratioOf(working!, raw!)} raw); ${awakeSplit(getConfig!, raw!, getConfigAwake!, rawAwake!)}`,
    }),
    row(F, 'get-config', 'ms', getConfig!, { name: `the same raw round trip, the worker busy ${micros(workMs)} between asks`, samples: working! }),
    row(F, 'get-config, the cores kept awake by a spinning worker', 'ms', getConfigAwake!, awakeBase),
    row(F, 'get-current-timestamp (no storage)', 'ms', timestamp!, base, { note: split('get-current-timestamp') }),
    row(F, 'bare Comlink call asked by a bare worker', 'ms', viaComlink!, base),
    row(F, 'the plugin with a trivial host on the page (Comlink, no policy)', 'ms', trivialHost!, base),
    row(F, 'get-config', 'ms', getConfig!, { name: 'the plugin with a trivial host on the page', samples: trivialHost! }),
    row(F, 'the plugin with its host in its own worker, one message hop', 'ms', inWorker!, {
      name: 'a bare JSPI import, the same hop (no bindings)',
      samples: bareJspi!,
    }),
  ];
}

/** Runs `measure` in a new bare worker and ends the worker. */
async function inBareWorker(measure: (worker: BareWorker) => Promise<number[]>): Promise<number[]> {
  const { bare } = await BareWorker.spawn();
  try {
    return await measure(bare);
  } finally {
    bare.terminate();
  }
}

/** Figure 3: events per second into one plugin, and into ten at once. */
export async function throughput(h: BenchHost, noopId: string, fanIds: string[]): Promise<Row[]> {
  const F = '3 throughput';
  const rate = async (count: number, run: () => Promise<unknown>) => {
    const began = performance.now();
    await run();
    return [count / ((performance.now() - began) / 1000)];
  };
  const EVENTS = 1000;
  const event = benchEvent('{}');
  const blast = (n: number) => Promise.all(Array.from({ length: n }, () => h.dispatcher.dispatch(event)));

  progress('throughput into one plugin');
  await h.only([noopId]);
  const { bare } = await BareWorker.spawn();
  const [raw, one] = await rounds(7, [() => rate(EVENTS, () => bare.oneAtATime(EVENTS)), () => rate(EVENTS, () => blast(EVENTS))]);
  bare.terminate();

  progress(`throughput with fan-out to ${fanIds.length} plugins`);
  await h.only(fanIds);
  const bares = await Promise.all(fanIds.map(async () => (await BareWorker.spawn()).bare));
  const FAN_EVENTS = 300;
  const deliveries = FAN_EVENTS * fanIds.length;
  const [rawFan, fan] = await rounds(7, [
    () => rate(deliveries, () => Promise.all(bares.map((b) => b.oneAtATime(FAN_EVENTS)))),
    () => rate(deliveries, () => blast(FAN_EVENTS)),
  ]);
  for (const b of bares) b.terminate();

  return [
    row(F, `events/s into one QuickJS plugin (${EVENTS} dispatched at once)`, 'events/s', one!, {
      name: 'raw postMessage round trips/s to a bare worker, one at a time',
      samples: raw!,
    }),
    row(F, `deliveries/s, each event to ${fanIds.length} plugins (${FAN_EVENTS} events at once)`, 'events/s', fan!, {
      name: `the same to ${fanIds.length} bare workers at once`,
      samples: rawFan!,
    }),
    row(F, `deliveries/s to ${fanIds.length} plugins`, 'events/s', fan!, { name: 'events/s into one plugin', samples: one! }),
  ];
}
