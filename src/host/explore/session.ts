// One explored component's worker: owns its start, call queue, watchdog, termination and
// restart, as a plugin's bridge does. A call that traps or runs past its time limit discards the
// instance (the component model forbids entering a trapped one); the next call starts fresh.
import { wrap, transfer, type Remote } from 'comlink';
import type { CallOutcome, ExploreEvent, ExploreStart, ExploreWorkerApi } from '../../shared/explore-protocol.ts';
import { EXPLORE_START_TIMEOUT_MS } from '../../shared/limits.ts';
import type { TraceInput } from '../../shared/trace-types.ts';
import { Watchdog } from '../watchdog.ts';
import { traceOfEvent } from './explore-trace.ts';

export interface SessionDeps {
  pluginId: string;
  /** Bindings, capped core modules and world for a fresh instance, with the current stub values. */
  load(): Promise<Omit<ExploreStart, 'events'>>;
  trace(input: TraceInput): void;
  /** Explored components are not instrumented: only the time limit holds them. */
  timeLimitMs(): number;
}

export type CallReport =
  { ok: true; value: unknown; durationMs: number } | { ok: false; error: string; outcome: 'trapped' | 'timeout' | 'failed'; durationMs: number };

interface Live {
  worker: Worker;
  api: Remote<ExploreWorkerApi>;
  port: MessagePort;
  /** Rejects when this worker is terminated, to settle whatever waits on it. */
  gone: Promise<never>;
  kill(reason: string): void;
  /** Resolves once the first `count` events of this worker have reached the trace. */
  eventsHandled(count: number): Promise<void>;
}

class WorkerGone extends Error {}

export class ExploreSession extends EventTarget {
  state: 'stopped' | 'starting' | 'ready' = 'stopped';
  private live?: Live;
  private booting?: Promise<Live>;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly deps: SessionDeps) {
    super();
  }

  private setState(state: ExploreSession['state']): void {
    this.state = state;
    this.dispatchEvent(new Event('change'));
  }

  private start(): Promise<Live> {
    if (this.live) return Promise.resolve(this.live);
    this.booting ??= this.boot().finally(() => (this.booting = undefined));
    return this.booting;
  }

  private async boot(): Promise<Live> {
    const { pluginId } = this.deps;
    this.setState('starting');
    const began = performance.now();
    const worker = new Worker(new URL('../../worker/explore-worker.ts', import.meta.url), { type: 'module', name: pluginId });
    const channel = new MessageChannel();
    let received = 0;
    const waiters: Array<{ count: number; resolve: () => void }> = [];
    channel.port1.onmessage = (e: MessageEvent<ExploreEvent>) => {
      received++;
      this.deps.trace(traceOfEvent(pluginId, e.data));
      while (waiters[0] && waiters[0].count <= received) waiters.shift()!.resolve();
    };
    let kill!: (reason: string) => void;
    const gone = new Promise<never>((_, reject) => {
      kill = (reason) => {
        reject(new WorkerGone(reason));
        for (const waiter of waiters.splice(0)) waiter.resolve();
        worker.terminate();
        channel.port1.close();
      };
    });
    gone.catch(() => {});
    const live: Live = {
      worker,
      api: wrap<ExploreWorkerApi>(worker),
      port: channel.port1,
      gone,
      kill,
      eventsHandled: (count) => (count <= received ? Promise.resolve() : new Promise((resolve) => waiters.push({ count, resolve }))),
    };
    worker.addEventListener('error', (e) => {
      e.preventDefault();
      if (this.live === live) this.live = undefined;
      live.kill(`its worker failed: ${e.message || 'script error'}`);
    });
    const timer = setTimeout(() => live.kill(`it did not start within ${EXPLORE_START_TIMEOUT_MS / 1000} s`), EXPLORE_START_TIMEOUT_MS);
    try {
      const init = await this.deps.load();
      const { instantiateMs } = await Promise.race([live.api.start(transfer({ ...init, events: channel.port2 }, [channel.port2])), gone]);
      this.live = live;
      this.deps.trace({
        kind: 'lifecycle',
        pluginId,
        step: 'started',
        detail: `worker started; component instantiated in ${instantiateMs.toFixed(0)} ms`,
        durationMs: performance.now() - began,
      });
      this.setState('ready');
      return live;
    } catch (e) {
      live.kill('start failed');
      const message = e instanceof Error ? e.message : String(e);
      this.deps.trace({ kind: 'lifecycle', pluginId, step: 'failed', detail: `could not start: ${message}` });
      this.setState('stopped');
      throw new Error(`The component could not be started: ${message}`);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Throws the instance away; the next call starts a fresh one. */
  private discard(): void {
    const live = this.live;
    this.live = undefined;
    live?.kill('discarded');
    this.setState('stopped');
  }

  stop(): void {
    this.discard();
  }

  private enqueue<T>(task: () => Promise<T>): Promise<T> {
    const run = this.queue.then(task, task);
    this.queue = run.catch(() => {});
    return run;
  }

  /** Sends a stub's value to a running instance; a fresh one gets it from `load`. */
  setStub(key: string, value: unknown): void {
    void this.live?.api.setStub(key, value).catch(() => {});
  }

  /** Calls one export with checked arguments; never rejects. */
  call(key: string, args: unknown[]): Promise<CallReport> {
    return this.enqueue(async () => {
      const { pluginId } = this.deps;
      const began = performance.now();
      let live: Live;
      try {
        live = await this.start();
      } catch (e) {
        return { ok: false, outcome: 'failed', error: e instanceof Error ? e.message : String(e), durationMs: performance.now() - began };
      }
      this.deps.trace({ kind: 'event', pluginId, event: key, payload: args });
      const timeLimitMs = this.deps.timeLimitMs();
      let expired = false;
      const dog = new Watchdog(timeLimitMs, () => {
        expired = true;
        this.discard();
      });
      dog.start();
      let outcome: CallOutcome;
      try {
        outcome = await Promise.race([live.api.call(key, args), live.gone]);
        await live.eventsHandled(outcome.events);
      } catch (e) {
        const error = expired
          ? `killed: the call ran past its time limit of ${timeLimitMs} ms; its worker was terminated and a fresh instance serves the next call`
          : `its worker stopped during the call (${e instanceof Error ? e.message : String(e)})`;
        const durationMs = performance.now() - began;
        this.deps.trace({ kind: 'lifecycle', pluginId, step: 'killed', detail: error });
        this.deps.trace({ kind: 'event-result', pluginId, event: key, result: expired ? 'timeout' : 'killed', error, durationMs });
        return { ok: false, outcome: expired ? 'timeout' : 'failed', error, durationMs };
      } finally {
        dog.stop();
      }
      if (outcome.kind === 'failed') {
        const error = `trapped: ${outcome.error.message}; the instance was discarded and a fresh one serves the next call`;
        this.discard();
        this.deps.trace({ kind: 'lifecycle', pluginId, step: 'trapped', detail: error });
        this.deps.trace({ kind: 'event-result', pluginId, event: key, result: 'error', error, durationMs: outcome.durationMs });
        return { ok: false, outcome: 'trapped', error, durationMs: outcome.durationMs };
      }
      this.deps.trace({ kind: 'event-result', pluginId, event: key, result: 'success', durationMs: outcome.durationMs });
      return { ok: true, value: outcome.value, durationMs: outcome.durationMs };
    });
  }
}
