// One bridge per plugin: owns its worker's start, call queue, termination and restart.
// Calls into one plugin never overlap; a call to a worker that dies is rejected here, because
// Comlink never settles a call to a terminated worker.
import { expose, transfer, wrap, type Remote } from 'comlink';
import type { Profile } from '../shared/contract.ts';
import {
  isHostFunctionName,
  type HostPortApi,
  type PluginInfo,
  type PluginWorkerApi,
  type TraceInput,
  type WitResult,
} from '../shared/protocol.ts';

export type BridgeState = 'stopped' | 'starting' | 'running' | 'error';

export interface BridgeDeps {
  /** The transpiled files, the bindings entry among them, and the profile to run them with. */
  load(): Promise<{ files: Record<string, Uint8Array>; entry: string; profile: Profile }>;
  hostCall(fn: string, args: unknown[]): Promise<WitResult<unknown>>;
  /** Hydrust's `publish(ev)`. */
  publish(event: unknown): void;
  trace(input: TraceInput): void;
}

export const WORKER_GONE = 'the plugin worker was stopped before the call finished';

class WorkerGone extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'WorkerGone';
  }
}

interface Live {
  worker: Worker;
  api: Remote<PluginWorkerApi>;
  port: MessagePort;
  /** Rejects when this worker is terminated, to settle whatever is in flight. */
  gone: Promise<never>;
  kill(reason: string): void;
}

export interface Delivery {
  result: 'success' | 'error';
  error?: string;
  durationMs: number;
}

export class PluginBridge extends EventTarget {
  state: BridgeState = 'stopped';
  startedAt?: number;
  lastError?: string;
  /** The emit depth of the event being handled now, for the ping-pong guard. */
  currentDepth = 0;

  private live?: Live;
  private booting?: Promise<Live>;
  /** Bumped by stop(): a boot that finishes after a stop must not come back to life. */
  private generation = 0;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    readonly pluginId: string,
    private readonly deps: BridgeDeps,
  ) {
    super();
  }

  /** `error`, when given, becomes the last error shown with the state until the next stop. */
  private setState(state: BridgeState, error?: string): void {
    this.state = state;
    if (error !== undefined) this.lastError = error;
    this.dispatchEvent(new Event('change'));
  }

  /** Starts the worker if it is not running; resolves when it can take calls. */
  start(): Promise<Live> {
    if (this.live) return Promise.resolve(this.live);
    this.booting ??= this.boot().finally(() => (this.booting = undefined));
    return this.booting;
  }

  private async boot(): Promise<Live> {
    const generation = this.generation;
    this.setState('starting');
    const began = performance.now();
    const worker = new Worker(new URL('../worker/plugin-worker.ts', import.meta.url), {
      type: 'module',
      name: `plugin:${this.pluginId}`,
    });
    const channel = new MessageChannel();
    const host: HostPortApi = {
      call: (fn, args) =>
        isHostFunctionName(fn)
          ? this.deps.hostCall(fn, Array.isArray(args) ? args : [])
          : Promise.resolve({ tag: 'err', val: `unknown host function ${String(fn)}` }),
      output: (out) =>
        this.deps.trace({
          kind: 'log',
          pluginId: this.pluginId,
          level: out.stream === 'stdout' ? 'stdout' : 'stderr',
          message: out.text.slice(0, 2048),
        }),
      publish: (event) => this.deps.publish(event),
    };
    expose(host, channel.port1);
    let kill!: (reason: string) => void;
    const gone = new Promise<never>((_, reject) => {
      kill = (reason) => reject(new WorkerGone(reason));
    });
    gone.catch(() => {});
    const live: Live = { worker, api: wrap<PluginWorkerApi>(worker), port: channel.port1, gone, kill };
    worker.addEventListener('error', (e) => {
      e.preventDefault();
      const reason = `the plugin worker failed: ${e.message || 'script error'}`;
      if (this.live === live) this.discard(reason);
      else live.kill(reason);
      this.setState('error', reason);
    });
    try {
      const { files, entry, profile } = await this.deps.load();
      const { instantiateMs } = await Promise.race([
        live.api.start(transfer({ pluginId: this.pluginId, profile, entry, files, hostPort: channel.port2 }, [channel.port2])),
        gone,
      ]);
      if (generation !== this.generation) throw new WorkerGone(WORKER_GONE);
      this.live = live;
      this.startedAt = Date.now();
      this.deps.trace({
        kind: 'lifecycle',
        pluginId: this.pluginId,
        step: 'started',
        detail: `worker started; component instantiated in ${instantiateMs.toFixed(0)} ms`,
        durationMs: performance.now() - began,
      });
      this.setState('running');
      return live;
    } catch (e) {
      this.terminate(live, WORKER_GONE);
      if (e instanceof WorkerGone) throw e;
      const message = e instanceof Error ? e.message : String(e);
      this.deps.trace({ kind: 'lifecycle', pluginId: this.pluginId, step: 'failed', detail: `could not start: ${message}` });
      this.setState('error', `could not start: ${message}`);
      throw e;
    }
  }

  private terminate(live: Live, reason: string): void {
    live.kill(reason);
    live.worker.terminate();
    live.port.close();
  }

  /** Throws the worker away (poisoned or stopped); calls in flight are rejected. */
  private discard(reason: string): void {
    const live = this.live;
    this.live = undefined;
    if (live) this.terminate(live, reason);
  }

  stop(): void {
    this.generation++;
    const wasLive = this.live !== undefined;
    this.discard(WORKER_GONE);
    this.lastError = undefined;
    this.startedAt = undefined;
    this.setState('stopped');
    if (wasLive) this.deps.trace({ kind: 'lifecycle', pluginId: this.pluginId, step: 'stopped', detail: 'worker terminated' });
  }

  /** Runs `task` after every earlier call into this plugin has settled. */
  private enqueue<T>(task: () => Promise<T>): Promise<T> {
    const run = this.queue.then(task, task);
    this.queue = run.catch(() => {});
    return run;
  }

  metadata(): Promise<PluginInfo> {
    return this.enqueue(async () => {
      const live = await this.start();
      return Promise.race([live.api.metadata(), live.gone]);
    });
  }

  /** Delivers one event (a WIT `event` value of the plugin's profile); never rejects. */
  deliver(event: unknown, depth: number): Promise<Delivery> {
    return this.enqueue(async () => {
      const began = performance.now();
      this.currentDepth = depth;
      try {
        const live = await this.start();
        const result = await Promise.race([live.api.onEvent(event), live.gone]);
        const durationMs = performance.now() - began;
        return result.tag === 'ok'
          ? { result: 'success', durationMs }
          : { result: 'error', error: `the plugin returned an error: ${result.val}`, durationMs };
      } catch (e) {
        const durationMs = performance.now() - began;
        if (e instanceof WorkerGone) return { result: 'error', error: e.message, durationMs };
        if (this.state !== 'running') return { result: 'error', error: this.lastError ?? String(e), durationMs };
        // A trap poisons the component instance: it may not be entered again.
        const message = `trapped: ${e instanceof Error ? e.message : String(e)}`;
        this.deps.trace({
          kind: 'lifecycle',
          pluginId: this.pluginId,
          step: 'restarting',
          detail: `${message}; the instance is discarded and a fresh worker serves the next event`,
        });
        this.discard(message);
        this.setState('stopped', message);
        void this.start().catch(() => {});
        return { result: 'error', error: message, durationMs };
      } finally {
        this.currentDepth = 0;
      }
    });
  }
}
