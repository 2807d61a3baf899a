// Figure 9: fuel. What counting costs a call (each guest instrumented, next to the same guest
// with plain core modules), what instrumenting costs per MB (next to compiling the same bytes),
// and a warm start with the instrumented modules cached (next to the same start with plain ones).
import { wrap, type Remote } from 'comlink';
import type { TranspileCacheEntry } from '../../../src/host/db.ts';
import type { PluginBridge } from '../../../src/host/plugin-bridge.ts';
import { PLUGIN_TRANSPILE_OPTIONS } from '../../../src/shared/contract.ts';
import type { CompileWorkerApi, RuntimeStart } from '../../../src/shared/protocol.ts';
import { capModuleMemories } from '../../../src/shared/memory-share.ts';
import { witEvent } from '../events.ts';
import type { BenchHost, Component } from '../host.ts';
import { progress, rounds, row, summarize, timeEach, type Row } from '../stats.ts';

const F = '9 fuel';
const MB = 1024 * 1024;
const AMPLE = 1e12;
const SIZES = [
  { label: '16 B', bytes: 16, calls: 200 },
  { label: '1 KiB', bytes: 1024, calls: 200 },
  { label: '64 KiB', bytes: 64 * 1024, calls: 30 },
];

function text(bytes: number): string {
  const line = 'The quick brown fox jumps over the lazy dog; pack my box with five dozen liquor jugs. ';
  return line.repeat(Math.ceil(bytes / line.length)).slice(0, bytes);
}

const wasmOf = (files: Record<string, Uint8Array>) => Object.fromEntries(Object.entries(files).filter(([name]) => name.endsWith('.wasm')));
const megabytes = (modules: Record<string, Uint8Array>) => Object.values(modules).reduce((sum, bytes) => sum + bytes.length, 0) / MB;

/**
 * A component as the playground loaded it before fuel was counted: transpiled output without
 * instrumentation, cached in IndexedDB, its capped modules compiled once and kept.
 */
class Plain {
  private compiled?: Promise<Extract<RuntimeStart, { kind: 'component' }>>;
  private constructor(
    private readonly h: BenchHost,
    readonly key: string,
    readonly files: Record<string, Uint8Array>,
  ) {}

  static async of(h: BenchHost, api: Remote<CompileWorkerApi>, component: Component): Promise<Plain> {
    const { transpiled, wit, transpileMs } = await api.inspect(component.bytes, PLUGIN_TRANSPILE_OPTIONS);
    const key = `bench-plain|${component.sha256}`;
    // Under a hash of its own: the playground drops other entries of a file when it stores one.
    const entry: TranspileCacheEntry = { key, sha256: `bench-plain:${component.sha256}`, transpiled, wit, transpileMs, createdAt: Date.now() };
    await h.db.put('transpileCache', entry);
    return new Plain(h, key, transpiled.files);
  }

  /** What a warm start loads: the cache entry read, the compiled modules from memory. */
  load = async (): Promise<RuntimeStart> => {
    // Stored whole by `of`, so the one record holds every file.
    const entry = (await this.h.db.get('transpileCache', this.key)) as TranspileCacheEntry;
    this.compiled ??= (async () => {
      const files = capModuleMemories(entry.transpiled.files, this.h.settings.memoryCapBytes);
      const js = Object.keys(files).find((name) => name.endsWith('.js'))!;
      const modules = Object.fromEntries(
        await Promise.all(Object.entries(wasmOf(files)).map(async ([name, bytes]) => [name, await WebAssembly.compile(bytes as BufferSource)] as const)),
      );
      return { kind: 'component', profile: 'playground', bindings: new Blob([files[js]! as BlobPart], { type: 'text/javascript' }), modules };
    })();
    return this.compiled;
  };
}

async function succeed(bridge: PluginBridge, event: ReturnType<typeof witEvent>): Promise<number | undefined> {
  const { result, error, fuel } = await bridge.deliver(event, 0);
  if (result !== 'success') throw new Error(`a fuel benchmark call failed: ${result} ${error ?? ''}`);
  return fuel;
}

export interface FuelSubjects {
  vowels: Component;
  vowelsWat: Component;
  noop: Component;
  noopSm: Component;
}

export async function fuel(h: BenchHost, s: FuelSubjects): Promise<Row[]> {
  const api = wrap<CompileWorkerApi>(new Worker(new URL('../../../src/compile/compile-worker.ts', import.meta.url), { type: 'module', name: 'bench-compile' }));
  const rows: Row[] = [];
  const plain = new Map<Component, Plain>();
  for (const component of [s.vowels, s.vowelsWat, s.noop, s.noopSm]) plain.set(component, await Plain.of(h, api, component));

  for (const [label, component] of [
    ['WAT', s.vowelsWat],
    ['QuickJS', s.vowels],
  ] as const) {
    // QuickJS counting 64 KiB of vowels needs more than the default budget: the cost, not the limit, is measured here.
    const counted = h.bridge(`fuel:${label}`, component, { fuel: AMPLE });
    const uncounted = h.bridge(`fuel:${label}:plain`, component, { load: plain.get(component)!.load, fuel: AMPLE });
    await Promise.all([counted.start(), uncounted.start()]);
    for (const size of SIZES) {
      progress(`fuel: per call, ${label} guest, ${size.label}`);
      const event = witEvent(text(size.bytes), 'count-vowels');
      const used = await succeed(counted, event);
      const R = 6;
      const n = Math.ceil(size.calls / R);
      const [withFuel, without] = await rounds(R, [() => timeEach(n, () => succeed(counted, event)), () => timeEach(n, () => succeed(uncounted, event))]);
      rows.push(
        row(
          F,
          `call, ${label} guest counting fuel, ${size.label}`,
          'ms',
          withFuel!,
          { name: 'the same guest, plain core modules', samples: without! },
          {
            note: `${used?.toLocaleString('en')} fuel per call`,
            target: label === 'WAT' ? (ratio) => ratio && { text: '≤ 1.5× plain (median)', met: ratio.median <= 1.5 } : undefined,
          },
        ),
      );
    }
    counted.stop();
    uncounted.stop();
  }

  for (const [label, component] of [
    ['QuickJS', s.noop],
    ['StarlingMonkey', s.noopSm],
  ] as const) {
    progress(`fuel: instrumenting ${label}'s core modules`);
    const modules = wasmOf(plain.get(component)!.files);
    const size = megabytes(modules);
    const inWorker: number[] = [];
    const [instrumenting, compiling] = await rounds(5, [
      async () => {
        const began = performance.now();
        const { instrumentMs } = await api.instrument(modules, {});
        inWorker.push(instrumentMs / size);
        return [(performance.now() - began) / size];
      },
      async () => {
        const began = performance.now();
        await Promise.all(Object.values(modules).map((bytes) => WebAssembly.compile(bytes as BufferSource)));
        return [(performance.now() - began) / size];
      },
    ]);
    rows.push(
      row(
        F,
        `instrumenting ${label}'s core modules (${size.toFixed(1)} MB), per MB, in the compile worker`,
        'ms',
        instrumenting!,
        {
          name: 'WebAssembly.compile of the same modules, per MB',
          samples: compiling!,
        },
        { note: `median ${summarize(inWorker).median.toFixed(0)} ms/MB inside the worker; the rest is the transfer` },
      ),
    );
  }

  for (const [label, component] of [
    ['QuickJS', s.noop],
    ['StarlingMonkey', s.noopSm],
    ['WAT', s.vowelsWat],
  ] as const) {
    progress(`fuel: warm start, ${label}`);
    // The playground's own loading (one cache read, the compiled modules kept), or the plain one.
    const product = () => h.loader.load({ id: 'fuel:warm', profile: 'playground', sha256: component.sha256, bytes: component.bytes, exports: [] }, false);
    const start = async (id: string, load: () => Promise<RuntimeStart> = product) => {
      const began = performance.now();
      const bridge = h.bridge(id, component, { load });
      await bridge.start();
      await succeed(bridge, witEvent('{}'));
      bridge.stop();
      return [performance.now() - began];
    };
    // Transpiled, instrumented and compiled once, as after an install: every start below is warm.
    await start(`fuel:warm:${label}`);
    await start(`fuel:warm:${label}:plain`, plain.get(component)!.load);
    const [counted, uncounted] = await rounds(label === 'StarlingMonkey' ? 6 : 10, [
      () => start(`fuel:warm:${label}`),
      () => start(`fuel:warm:${label}:plain`, plain.get(component)!.load),
    ]);
    rows.push(
      row(
        F,
        `warm start through the first event, instrumented modules from the cache: ${label}`,
        'ms',
        counted!,
        {
          name: 'the same start with plain modules from the cache',
          samples: uncounted!,
        },
        { target: (ratio) => ratio && { text: 'no worse than plain: ≤ 1.1× (median)', met: ratio.median <= 1.1 } },
      ),
    );
  }
  for (const entry of plain.values()) await h.db.delete('transpileCache', entry.key);
  return rows;
}
