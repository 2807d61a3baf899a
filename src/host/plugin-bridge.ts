// One bridge per plugin: owns its worker's start, call queue, termination and restart.
// Calls into one plugin never overlap; a call to a worker that dies is rejected here, because
// nothing on the other side of a terminated worker's ports will ever answer it.
import { MAX_LOG_LINES_PER_CALL } from '../shared/limits.ts';
import { transfer, wrap, type Remote } from 'comlink';
import type { Profile } from '../shared/contract.ts';
import { Watchdog } from './watchdog.ts';
import {
  FIRE_AND_FORGET_HOST_FUNCTIONS,
  isHostFunctionName,
  type EventReply,
  type LogMessage,
  type LogReply,
  type PageToWorker,
  type PluginInfo,
  type PluginWorkerApi,
  type TraceInput,
  type WitResult,
  type WorkerToPage,
} from '../shared/protocol.ts';

export type BridgeState = 'stopped' | 'starting' | 'running' | 'killed' | 'error';

export interface BridgeDeps {
  /** The transpiled files, the bindings entry among them, and the profile to run them with. */
  load(): Promise<{ files: Record<string, Uint8Array>; entry: string; profile: Profile }>;
  hostCall(fn: string, args: unknown[]): Promise<WitResult<unknown>>;
  /** Hydrust's `publish(ev)`. */
  publish(event: unknown): void;
  trace(input: TraceInput): void;
  /** The time budget for one call into the guest, and the fuel it stands for. */
  budget(): { ms: number; fuel: number };
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
  /** Delivers one event on the plugin's port; a trap rejects, and so does the worker's end (WorkerGone). */
  onEvent(event: unknown): Promise<EventReply>;
  ports: MessagePort[];
  /** Rejects when this worker is terminated, to settle whatever is in flight. */
  gone: Promise<never>;
  kill(reason: string): void;
  /** Resolves once this worker's first `count` log lines have been handled; rejects if it is killed first. */
  logsHandled(count: number): Promise<void>;
}

export interface Delivery {
  /** `timeout`: the watchdog killed it; `killed`: its worker was stopped some other way. */
  result: 'success' | 'error' | 'timeout' | 'killed';
  error?: string;
  durationMs: number;
}

export class PluginBridge extends EventTarget {
  state: BridgeState = 'stopped';
  startedAt?: number;
  lastError?: string;
  /** The emit depth of the event being handled now, for the ping-pong guard. */
  currentDepth = 0;
  /** Calls killed for exceeding their budget, in a row. */
  consecutiveKills = 0;

  private watchdog?: Watchdog;
  private logLines = 0;

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
    const port = channel.port1;
    const send = (message: PageToWorker) => port.postMessage(message);
    const deliveries = new Map<number, { resolve: (reply: EventReply) => void; reject: (error: Error) => void }>();
    let nextDelivery = 1;
    port.onmessage = (e: MessageEvent<WorkerToPage>) => {
      const message = e.data;
      switch (message.kind) {
        case 'host-call': {
          const { id } = message;
          void this.answer(message.fn, message.args)
            .then((result) => send({ kind: 'host-result', id, result }))
            // An answer that cannot be sent must still end the guest's wait.
            .catch((e: unknown) =>
              send({ kind: 'host-result', id, result: { tag: 'err', val: `the host could not answer: ${e instanceof Error ? e.message : String(e)}` } }),
            );
          break;
        }
        case 'output':
          this.deps.trace({
            kind: 'log',
            pluginId: this.pluginId,
            level: message.out.stream === 'stdout' ? 'stdout' : 'stderr',
            message: message.out.text.slice(0, 2048),
          });
          break;
        case 'publish':
          this.deps.publish(message.event);
          break;
        case 'event-done':
        case 'event-failed': {
          const delivery = deliveries.get(message.id);
          deliveries.delete(message.id);
          if (message.kind === 'event-done') delivery?.resolve(message.reply);
          else delivery?.reject(Object.assign(new Error(message.error.message), { name: message.error.name }));
          break;
        }
      }
    };
    const logChannel = new MessageChannel();
    let linesHandled = 0;
    const logWaiters: Array<{ count: number; resolve: () => void; reject: (error: Error) => void }> = [];
    logChannel.port1.onmessage = (e: MessageEvent<LogMessage>) => {
      const message = e.data;
      if (message.kind === 'flush') {
        logChannel.port1.postMessage({ kind: 'flushed' } satisfies LogReply);
        return;
      }
      linesHandled++;
      if (FIRE_AND_FORGET_HOST_FUNCTIONS.has(message.fn)) void this.deps.hostCall(message.fn, Array.isArray(message.args) ? message.args : []);
      while (logWaiters[0] && logWaiters[0].count <= linesHandled) logWaiters.shift()!.resolve();
    };
    // Killing settles everything waiting on this worker. Calls wait on their own promises, not
    // on `gone`: a race against one long-lived promise would keep a reaction per call alive.
    let dead: WorkerGone | undefined;
    let kill!: (reason: string) => void;
    const gone = new Promise<never>((_, reject) => {
      kill = (reason) => {
        dead ??= new WorkerGone(reason);
        reject(dead);
        for (const delivery of deliveries.values()) delivery.reject(dead);
        deliveries.clear();
        for (const waiter of logWaiters.splice(0)) waiter.reject(dead);
      };
    });
    gone.catch(() => {});
    const live: Live = {
      worker,
      api: wrap<PluginWorkerApi>(worker),
      onEvent: (event) =>
        new Promise((resolve, reject) => {
          if (dead) return reject(dead);
          const id = nextDelivery++;
          deliveries.set(id, { resolve, reject });
          send({ kind: 'event', id, event });
        }),
      ports: [channel.port1, logChannel.port1],
      gone,
      kill,
      logsHandled: (count) =>
        dead ? Promise.reject(dead) : count <= linesHandled ? Promise.resolve() : new Promise((resolve, reject) => logWaiters.push({ count, resolve, reject })),
    };
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
        live.api.start(
          transfer({ pluginId: this.pluginId, profile, entry, files, hostPort: channel.port2, logPort: logChannel.port2 }, [channel.port2, logChannel.port2]),
        ),
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

  /** Answers one host call from the guest; its time is not charged to the call's budget. */
  private async answer(fn: unknown, args: unknown): Promise<WitResult<unknown>> {
    if (!isHostFunctionName(fn)) return { tag: 'err', val: `unknown host function ${String(fn)}` };
    const dog = this.watchdog;
    dog?.hostCallStarted();
    try {
      return await this.deps.hostCall(fn, Array.isArray(args) ? args : []);
    } finally {
      dog?.hostCallEnded();
    }
  }

  private terminate(live: Live, reason: string): void {
    live.kill(reason);
    live.worker.terminate();
    for (const port of live.ports) port.close();
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

  /** Counts a log line against this call's limit; false when it should be dropped. */
  admitLog(): boolean {
    this.logLines++;
    if (this.logLines === MAX_LOG_LINES_PER_CALL + 1) {
      this.deps.trace({
        kind: 'log',
        pluginId: this.pluginId,
        level: 'warn',
        message: `… log limit reached: further lines from this call are dropped (at most ${MAX_LOG_LINES_PER_CALL} per call)`,
      });
    }
    return this.logLines <= MAX_LOG_LINES_PER_CALL;
  }

  /** The watchdog fired: the guest ran past its budget. Terminate now; never wait for it. */
  private kill(budget: { ms: number; fuel: number }): void {
    const message = `killed: the call ran past its budget of ${budget.ms} ms (fuel ${budget.fuel.toLocaleString('en')}); its worker was terminated`;
    this.consecutiveKills++;
    this.discard(message);
    this.deps.trace({ kind: 'lifecycle', pluginId: this.pluginId, step: 'killed', detail: `${message}; a fresh worker serves the next event` });
    this.setState('killed', 'killed: budget exceeded');
    this.dispatchEvent(new Event('killed'));
  }

  /** Delivers one event (a WIT `event` value of the plugin's profile); never rejects. */
  deliver(event: unknown, depth: number): Promise<Delivery> {
    return this.enqueue(async () => {
      const began = performance.now();
      this.currentDepth = depth;
      this.logLines = 0;
      try {
        const live = await this.start();
        const budget = this.deps.budget();
        const dog = new Watchdog(budget.ms, () => this.kill(budget));
        this.watchdog = dog;
        dog.start();
        let result;
        try {
          const reply = await live.onEvent(event);
          // The call's log lines count against it: wait for any still on their way.
          await live.logsHandled(reply.logLines);
          result = reply.result;
        } finally {
          dog.stop();
          this.watchdog = undefined;
        }
        const durationMs = performance.now() - began;
        this.consecutiveKills = 0;
        if (this.logLines > MAX_LOG_LINES_PER_CALL) {
          this.deps.trace({
            kind: 'log',
            pluginId: this.pluginId,
            level: 'warn',
            message: `… ${this.logLines - MAX_LOG_LINES_PER_CALL} log lines were dropped from this call`,
          });
        }
        return result.tag === 'ok' ? { result: 'success', durationMs } : { result: 'error', error: `the plugin returned an error: ${result.val}`, durationMs };
      } catch (e) {
        const durationMs = performance.now() - began;
        if (e instanceof WorkerGone) {
          return { result: e.message.startsWith('killed:') ? 'timeout' : 'killed', error: e.message, durationMs };
        }
        if (this.state !== 'running') return { result: 'error', error: this.lastError ?? String(e), durationMs };
        // A trap poisons the component instance: it may not be entered again.
        const trap = e instanceof Error ? e.message : String(e);
        const message = `trapped: ${trap}`;
        this.deps.trace({
          kind: 'lifecycle',
          pluginId: this.pluginId,
          step: 'trapped',
          detail: `${trap}; the instance is discarded and a fresh worker serves the next event`,
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
