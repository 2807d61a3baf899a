// Figure 4: cold start (bytes -> transpiled -> instantiated -> first event handled), warm start
// (from the transpile cache, as after a reload) and restart (the compiled modules still in the
// page, as after a trap, a kill or a disable), next to the floors: compiling and instantiating
// the same core modules with nothing around them, and doing it in a new bare worker.
import { Compiler, sha256Hex } from '../../../src/host/compiler.ts';
import type { TraceRecord } from '../../../src/shared/trace-types.ts';
import { BareWorker } from '../baselines.ts';
import { witEvent } from '../events.ts';
import type { BenchHost, Component, LoadTimings } from '../host.ts';
import { progress, rounds, row, summarize, type Row, type Summary } from '../stats.ts';
import { prepareFloor } from '../wasm-floor.ts';
import { atMost } from './calls.ts';

export interface StartSubject {
  label: string;
  component: Component;
  coldRuns: number;
  warmRounds: number;
  /** An absolute target for this one's cold start, in ms (the QuickJS sample: under 0.5 s). */
  coldTargetMs?: number;
}

interface Start {
  totalMs: number;
  load: LoadTimings;
  /** From `new Worker` to the instance taking calls, less the page's loading. */
  workerMs: number;
  /** Inside the worker: importing the generated bindings and instantiating. */
  instantiateMs: number;
  /** Of that, importing the bindings, and waiting for the page's core modules (an early start). */
  bindingsMs: number;
  waitMs: number;
  firstEventMs: number;
  /** Of the first event, the host calls' own time (as the trace stamps them), and of that the config writes'. */
  hostCallsMs: number;
  configWritesMs: number;
  /** The same event once more, after the start (not part of it): what the first one costs beyond it. */
  secondEventMs: number;
}

/**
 * One start of `component` on a new bridge, through its first event. A cold start begins from
 * the bytes, hashing them for the cache key, as an install does; a warm start or a restart
 * begins from an installed plugin, whose record has the hash.
 */
async function startOnce(h: BenchHost, component: Component, id: string, cold: boolean, compiler?: Compiler): Promise<Start> {
  let load!: LoadTimings;
  const began = performance.now();
  if (cold && (await sha256Hex(component.bytes)) !== component.sha256) throw new Error('hash mismatch');
  const bridge = h.bridge(id, component, { onLoad: (t) => (load = t), compiler });
  let instantiateMs = Number.NaN;
  let bindingsMs = Number.NaN;
  let waitMs = 0;
  h.trace.onAdd = (record: TraceRecord) => {
    // The worker reports its own share in the lifecycle record: "… instantiated in N ms".
    if (record.kind === 'lifecycle' && record.pluginId === id && record.step === 'started') {
      instantiateMs = Number(/instantiated in (\d+) ms/.exec(record.detail)?.[1]);
      bindingsMs = Number(/(\d+) ms of it loading the bindings/.exec(record.detail)?.[1]);
      waitMs = Number(/(\d+) ms waiting for the page's core modules/.exec(record.detail)?.[1] ?? 0);
    }
  };
  await bridge.start();
  let hostCallsMs = 0;
  let configWritesMs = 0;
  h.trace.onAdd = (record: TraceRecord) => {
    if (record.kind !== 'host-call' || record.pluginId !== id) return;
    hostCallsMs += record.durationMs;
    if (record.fn === 'set-config') configWritesMs += record.durationMs;
  };
  const ready = performance.now();
  const outcome = await bridge.deliver(witEvent('{}'), 0);
  const done = performance.now();
  h.trace.onAdd = undefined;
  await bridge.deliver(witEvent('{}'), 0);
  const secondEventMs = performance.now() - done;
  bridge.stop();
  if (outcome.result !== 'success') throw new Error(`${id}: first event ${outcome.result}: ${outcome.error}`);
  return {
    totalMs: done - began,
    load,
    workerMs: ready - began - load.loadMs,
    instantiateMs,
    bindingsMs,
    waitMs,
    firstEventMs: done - ready,
    hostCallsMs,
    configWritesMs,
    secondEventMs,
  };
}

const med = (values: number[]) => summarize(values).median.toFixed(1);

const SOURCES = { memory: 'compiled modules from memory', cache: 'transpile cache read, cap, compile', transpiled: 'transpile (cache miss), cap, compile' };

function split(starts: Start[]): string {
  const first = starts[0]!.load;
  return (
    `median split: ${SOURCES[first.source]} ${med(starts.map((s) => s.load.loadMs))} ms` +
    (first.source === 'transpiled' ? ` (of which jco and the instrumenter ${med(starts.map((s) => s.load.transpileMs ?? 0))} ms)` : '') +
    `, worker after that ${med(starts.map((s) => s.workerMs))} ms ` +
    `(in the worker: bindings import ${med(starts.map((s) => s.bindingsMs))} ms, ` +
    `waiting for the page's modules ${med(starts.map((s) => s.waitMs))} ms, instantiate ${med(starts.map((s) => s.instantiateMs - s.bindingsMs - s.waitMs))} ms), ` +
    `first event ${med(starts.map((s) => s.firstEventMs))} ms (host calls ${med(starts.map((s) => s.hostCallsMs))} ms, ` +
    `of which config writes ${med(starts.map((s) => s.configWritesMs))} ms; a second event ${med(starts.map((s) => s.secondEventMs))} ms)`
  );
}

export async function startup(h: BenchHost, subjects: StartSubject[]): Promise<Row[]> {
  const F = '4 start';
  const rows: Row[] = [];
  for (const subject of subjects) {
    const { component, label } = subject;
    const files = await h.transpiled(component);
    const floor = prepareFloor(files);

    progress(`cold start: ${label}`);
    const cold: Start[] = [];
    for (let i = 0; i < subject.coldRuns; i++) {
      await h.forget(component);
      cold.push(await startOnce(h, component, `cold:${label}`, true));
    }
    progress(`warm start and restart: ${label}`);
    const warm: Start[] = [];
    const restart: Start[] = [];
    const [warmMs, restartMs, floorMs, workerFloorMs] = await rounds(subject.warmRounds, [
      async () => {
        // As after a reload: the transpile cache has it, the page has compiled nothing yet.
        h.loader.runtimes.forget(component.sha256);
        const start = await startOnce(h, component, `warm:${label}`, false);
        warm.push(start);
        return [start.totalMs];
      },
      async () => {
        const start = await startOnce(h, component, `restart:${label}`, false);
        restart.push(start);
        return [start.totalMs];
      },
      async () => {
        const began = performance.now();
        await floor();
        return [performance.now() - began];
      },
      async () => {
        const began = performance.now();
        const { bare } = await BareWorker.spawn();
        await bare.floor(files);
        bare.terminate();
        return [performance.now() - began];
      },
    ]);
    const base = { name: 'compile + instantiate the same core modules (floor)', samples: floorMs! };
    const workerBase = { name: 'new bare worker + the same compile + instantiate in it', samples: workerFloorMs! };
    const coldTarget =
      subject.coldTargetMs === undefined
        ? undefined
        : (_: Row['ratio'], value: Summary) => ({ text: `< ${subject.coldTargetMs} ms (median)`, met: value.median < subject.coldTargetMs! });
    rows.push(
      row(
        F,
        `cold: ${label}`,
        'ms',
        cold.map((s) => s.totalMs),
        base,
        { note: split(cold), target: coldTarget },
      ),
      row(F, `warm (transpile cache, as after a reload): ${label}`, 'ms', warmMs!, workerBase, { note: split(warm), target: atMost(1.5, 'the worker floor') }),
      row(F, `warm (transpile cache, as after a reload): ${label}`, 'ms', warmMs!, base),
      row(F, `restart (compiled modules in memory): ${label}`, 'ms', restartMs!, workerBase, { note: split(restart), target: atMost(1.5, 'the worker floor') }),
      row(F, `restart (compiled modules in memory): ${label}`, 'ms', restartMs!, base),
    );
  }
  return rows;
}

/**
 * The first plugin of a page also loads the transpiler (jco's own ~3.5 MB of wasm) in a new
 * compile worker; this measures a cold start that pays for that too.
 */
export async function firstColdStart(h: BenchHost, subject: StartSubject, runs: number): Promise<Row[]> {
  progress(`cold start with a new compile worker: ${subject.label}`);
  const starts: Start[] = [];
  const floorMs: number[] = [];
  const floor = prepareFloor(await h.transpiled(subject.component));
  for (let i = 0; i < runs; i++) {
    await h.forget(subject.component);
    starts.push(await startOnce(h, subject.component, `first:${subject.label}`, true, new Compiler(h.db)));
    const began = performance.now();
    await floor();
    floorMs.push(performance.now() - began);
  }
  return [
    row(
      '4 start',
      `cold, first plugin of the page (transpiler not yet loaded): ${subject.label}`,
      'ms',
      starts.map((s) => s.totalMs),
      {
        name: 'compile + instantiate the same core modules (floor)',
        samples: floorMs,
      },
      { note: split(starts) },
    ),
  ];
}
