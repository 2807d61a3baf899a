// The benchmark page. scripts/bench.mjs opens it in headless Chromium and runs one figure at a
// time through `window.bench`, collecting the rows.
import { CAPABILITIES } from '@extism/extism';
import { fetchBytes, fetchComponent, BenchHost, type Component } from './host.ts';
import { eventRoundTrip, hostCallRoundTrip, throughput } from './figures/calls.ts';
import { extism } from './figures/extism.ts';
import { memory } from './figures/memory.ts';
import { fuel } from './figures/fuel.ts';
import { firstColdStart, startup, type StartSubject } from './figures/startup.ts';
import { watchdog } from './figures/watchdog.ts';
import { progress, type Row } from './stats.ts';

const plugin = (name: string) => fetchComponent(`/bench-plugins/${name}.wasm`, `/bench-plugins/${name}.plugin.toml`);

interface Setup {
  h: BenchHost;
  noop: Component;
  noopSm: Component;
  hostCalls: Component;
  vowels: Component;
  vowelsWat: Component;
  spin: Component;
  helloEvents: Component;
  ids: { noop: string; hostCalls: string; vowelsWat: string; fan: string[] };
}

let setup: Promise<Setup> | undefined;

async function prepare(): Promise<Setup> {
  progress('setting up: fetching and installing the benchmark plugins');
  const [noop, noopSm, hostCalls, vowels, vowelsWat, spin, helloEvents] = await Promise.all([
    plugin('noop'),
    plugin('noop-sm'),
    plugin('host-calls'),
    plugin('vowels'),
    plugin('vowels-wat'),
    plugin('spin'),
    fetchComponent('/samples/hello-events.wasm', '/samples/hello-events.plugin.toml'),
  ]);
  const h = await BenchHost.create();
  const ids = {
    noop: await h.install(noop),
    hostCalls: await h.install(hostCalls),
    vowelsWat: await h.install(vowelsWat),
    fan: [] as string[],
  };
  for (let i = 1; i <= 10; i++) ids.fan.push(await h.install(noop, `bench-fan-${i}`));
  await h.only([]);
  return { h, noop, noopSm, hostCalls, vowels, vowelsWat, spin, helloEvents, ids };
}

const FIGURES: Record<string, (s: Setup) => Promise<Row[]>> = {
  events: (s) => eventRoundTrip(s.h, s.noop, s.ids.noop),
  'host-calls': (s) => hostCallRoundTrip(s.h, s.hostCalls, s.ids.hostCalls),
  throughput: (s) => throughput(s.h, s.ids.noop, s.ids.fan),
  memory: (s) => memory(s.h, s.noop),
  watchdog: (s) => watchdog(s.h, s.spin, s.noop),
  extism: async (s) => {
    const extismWasm = await fetchBytes('/shared/reference/extism/code.wasm');
    return extism(s.h, { extismWasm, vowels: s.vowels, vowelsWat: s.vowelsWat, vowelsWatId: s.ids.vowelsWat });
  },
  start: (s) => startup(s.h, subjects(s)),
  'first-start': (s) => firstColdStart(s.h, subjects(s)[0]!, 3),
  fuel: (s) => fuel(s.h, s),
};

function subjects(s: Setup): StartSubject[] {
  return [
    { label: 'hello-events sample (QuickJS)', component: s.helloEvents, coldRuns: 8, warmRounds: 10, coldTargetMs: 500 },
    { label: 'noop (QuickJS)', component: s.noop, coldRuns: 8, warmRounds: 10 },
    { label: 'noop (StarlingMonkey)', component: s.noopSm, coldRuns: 4, warmRounds: 6 },
    { label: 'vowels (hand-written WAT)', component: s.vowelsWat, coldRuns: 10, warmRounds: 10 },
  ];
}

const api = {
  figures: Object.keys(FIGURES),
  environment: () => ({
    userAgent: navigator.userAgent,
    hardwareConcurrency: navigator.hardwareConcurrency,
    crossOriginIsolated,
    jspi: 'Suspending' in WebAssembly,
    extismWorkerCapable: CAPABILITIES.hasWorkerCapability,
  }),
  /** Installs the benchmark plugins (the first run does it anyway). */
  async prepare(): Promise<void> {
    setup ??= prepare();
    await setup;
  },
  async run(figure: string): Promise<Row[]> {
    const measure = FIGURES[figure];
    if (!measure) throw new Error(`no figure "${figure}"; there are ${Object.keys(FIGURES).join(', ')}`);
    setup ??= prepare();
    return measure(await setup);
  },
};

declare global {
  interface Window {
    bench: typeof api;
  }
}

window.bench = api;
