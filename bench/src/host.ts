// The playground's own services, put together as createPlayground() does but with the parts a
// benchmark needs in reach (the compiler, the bridges), plus plugins fetched from the bench
// server. Everything here is the product's code: the benchmark only wires it.
import { sha256Hex, type Compiler } from '../../src/host/compiler.ts';
import { DB_NAME, openPlaygroundDB, type PlaygroundDB } from '../../src/host/db.ts';
import type { Dispatcher } from '../../src/host/dispatcher.ts';
import { HostFunctions } from '../../src/host/host-functions.ts';
import { FULL_GRANT } from '../../src/host/permissions.ts';
import { PluginBridge } from '../../src/host/plugin-bridge.ts';
import type { PluginLoader } from '../../src/host/loader.ts';
import { ComponentHostRuntime } from '../../src/host/runtimes/component.ts';
import { assemblePlayground } from '../../src/host/playground.ts';
import type { PluginManager } from '../../src/host/plugin-manager.ts';
import type { Settings } from '../../src/host/settings.ts';
import { Trace } from '../../src/host/trace.ts';
import type { ConfigStore } from '../../src/host/config-store.ts';
import type { RuntimeStart } from '../../src/shared/protocol.ts';
import type { TraceInput, TraceRecord } from '../../src/shared/trace-types.ts';
import { capModuleMemories } from '../../src/shared/memory-share.ts';

export interface Component {
  fileName: string;
  bytes: Uint8Array;
  sha256: string;
  manifest?: string;
}

/** Where one bridge's start went, as the bench host saw it. */
export interface LoadTimings {
  /** The page's share: the transpile cache read (or transpilation), capping and compiling. */
  loadMs: number;
  /** Where the compiled modules came from. */
  source: 'memory' | 'cache' | 'transpiled';
  /** Transpiling and instrumenting, when they ran. */
  transpileMs?: number;
}

export interface BridgeOptions {
  /** The per-call time limit; the playground's setting when absent. */
  budgetMs?: () => number;
  /** The per-call fuel; the playground's setting for components when absent. */
  fuel?: number;
  onLoad?: (timings: LoadTimings) => void;
  /** Another compiler (a new compile worker) instead of the host's. */
  compiler?: Compiler;
  /** What the worker starts with, instead of the playground's loading (e.g. modules not instrumented). */
  load?: () => Promise<RuntimeStart>;
}

export async function fetchBytes(url: string): Promise<Uint8Array> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  return new Uint8Array(await response.arrayBuffer());
}

export async function fetchComponent(wasmUrl: string, manifestUrl?: string): Promise<Component> {
  const bytes = await fetchBytes(wasmUrl);
  const manifest = manifestUrl ? new TextDecoder().decode(await fetchBytes(manifestUrl)) : undefined;
  return { fileName: wasmUrl.split('/').pop()!, bytes, sha256: await sha256Hex(bytes), manifest };
}

/**
 * The product's trace, also telling `onAdd` of each record the moment it is added: the app's
 * listeners hear of records once a frame, too late to time a host call by.
 */
export class TimedTrace extends Trace {
  onAdd?: (record: TraceRecord) => void;

  override add(input: TraceInput): TraceRecord {
    const record = super.add(input);
    this.onAdd?.(record);
    return record;
  }
}

export class BenchHost {
  bridges = new Map<string, PluginBridge>();

  private constructor(
    readonly db: PlaygroundDB,
    readonly trace: TimedTrace,
    readonly config: ConfigStore,
    readonly settings: Settings,
    readonly compiler: Compiler,
    readonly manager: PluginManager,
    readonly dispatcher: Dispatcher,
    readonly loader: PluginLoader,
    /** Host functions with every permission granted, for bridges the figures drive directly. */
    readonly host: HostFunctions,
  ) {}

  /** Starts from an empty database, as a first visit does, with the playground's own wiring. */
  static async create(): Promise<BenchHost> {
    await new Promise((resolve, reject) => {
      const request = indexedDB.deleteDatabase(DB_NAME);
      request.onsuccess = resolve;
      request.onerror = () => reject(request.error);
    });
    const trace = new TimedTrace();
    const p = await assemblePlayground(await openPlaygroundDB(), trace);
    await p.plugins.restore();
    const bridges = new Map<string, PluginBridge>();
    const host = new HostFunctions({
      catalog: p.catalog,
      config: p.config,
      trace: p.trace,
      grantFor: () => FULL_GRANT,
      emit: () => 'emit-event is not part of the benchmarks',
      admitLog: (id) => bridges.get(id)?.admitLog() ?? false,
      httpLimits: () => p.settings.httpLimits,
      instanceName: 'Plugin Playground',
    });
    const bench = new BenchHost(p.db, trace, p.config, p.settings, p.compiler, p.plugins, p.dispatcher, p.loader, host);
    bench.bridges = bridges;
    return bench;
  }

  /**
   * Installs through the upload path (transpile, metadata probe, manifest checks), approves and
   * enables it. `id` renames the plugin so one component can be installed many times.
   */
  async install(component: Component, id?: string): Promise<string> {
    let manifest = component.manifest;
    if (manifest && id) manifest = manifest.replace(/^name = ".*"$/m, `name = "${id}"`);
    const file = (name: string, bytes: Uint8Array) => ({ name, size: bytes.length, bytes: async () => bytes });
    const files = [file(component.fileName, component.bytes)];
    if (manifest) files.push(file('plugin.toml', new TextEncoder().encode(manifest)));
    const { record } = await this.manager.install(files, 'upload');
    await this.manager.approve(record.id);
    await this.manager.enable(record.id);
    if (this.manager.get(record.id)?.state !== 'running') throw new Error(`${record.id} did not start: ${this.manager.get(record.id)?.lastError}`);
    return record.id;
  }

  /** Disables every installed plugin but `keep`, so a dispatch reaches only those. */
  async only(keep: string[]): Promise<void> {
    for (const view of this.manager.list()) {
      const id = view.record.id;
      if (keep.includes(id) && !view.record.enabled) await this.manager.enable(id);
      if (!keep.includes(id) && view.record.enabled) await this.manager.disable(id);
    }
  }

  /**
   * A bridge wired as the plugin manager wires one (same loader, host functions and memory
   * cap), with every permission granted, for figures that address one plugin directly.
   * `onLoad` receives where each start's loading time went.
   */
  bridge(id: string, component: Component, options: BridgeOptions = {}): PluginBridge {
    this.bridges.get(id)?.stop();
    const budgetMs = options.budgetMs ?? (() => this.settings.limits.timeLimitMs);
    const bridge = new PluginBridge(id, {
      load: async (early) => {
        if (options.load) return options.load();
        // As the plugin manager does for a plugin with config access.
        this.config.preload(id);
        const began = performance.now();
        const runtime = options.compiler ? new ComponentHostRuntime(options.compiler) : this.loader.runtimes.component;
        const plugin = { id, profile: 'playground' as const, sha256: component.sha256, bytes: component.bytes, exports: [] };
        const { start, note } = await runtime.load(plugin, this.settings.memoryCapBytes, early);
        const source = note?.step === 'transpiled' ? 'transpiled' : note?.detail.includes('from memory') ? 'memory' : 'cache';
        options.onLoad?.({ loadMs: performance.now() - began, source, transpileMs: note?.durationMs });
        return start;
      },
      hostCall: (fn, args, at) => this.host.call(id, fn, args, at),
      publish: () => {},
      trace: (input) => this.trace.add(input),
      budget: () => ({ timeMs: budgetMs(), fuel: options.fuel ?? this.settings.limits.componentFuel }),
    });
    this.bridges.set(id, bridge);
    return bridge;
  }

  /** The capped core modules and bindings of a component, as its worker receives them. */
  async transpiled(component: Component): Promise<Record<string, Uint8Array>> {
    const { entry } = await this.compiler.compile(component.sha256, component.bytes);
    return capModuleMemories(entry.transpiled.files, this.settings.memoryCapBytes);
  }

  /** Forgets a component's transpiled and compiled output, so its next start is cold. */
  async forget(component: Component): Promise<void> {
    await this.compiler.forget(component.sha256);
    this.loader.runtimes.forget(component.sha256);
  }

  stopBridges(): void {
    for (const bridge of this.bridges.values()) bridge.stop();
    this.bridges.clear();
  }
}
