// One bridge per plugin: owns its worker's start, call queue, watchdog, termination and restart.
// Calls into one plugin never overlap. Each call has two limits: fuel, counted in the worker (a
// call that runs out traps there), and the watchdog's time, for what fuel cannot see. The page's
// end of the worker's ports is worker-port.ts.
import { transfer, wrap, type Remote } from 'comlink';
import { cleanLogLine } from '../shared/log-text.ts';
import { START_TIMEOUT_MS, WATCHDOG_GRACE_MS } from '../shared/limits.ts';
import type {
  EventReply,
  GuestOutput,
  HostFunctionName,
  PluginInfo,
  PluginWorkerApi,
  StartTimes,
  WitResult,
  WorkerEvent,
  WorkerStart,
} from '../shared/protocol.ts';
import type { BridgeDeps, BridgeState, CallBudget, Cascade, Delivery, HostAsk } from './bridge-types.ts';
import { CallQuotas } from './call-quotas.ts';
import { refillSpareWorker, spareWanted, takePluginWorker } from './spare-worker.ts';
import { Watchdog } from './watchdog.ts';
import { CallEnded, GuestFailed, WorkerPort } from './worker-port.ts';

export const WORKER_GONE = 'the plugin worker was stopped before the call finished';

/** `12 ms (8 ms of it loading the bindings, 3 ms waiting for the page's core modules)`. */
function startDetail({ instantiateMs, loadMs, waitMs }: StartTimes): string {
  const shares = [
    loadMs === undefined ? '' : `${loadMs.toFixed(0)} ms of it loading the bindings`,
    waitMs ? `${waitMs.toFixed(0)} ms waiting for the page's core modules` : '',
  ];
  const of = shares.filter(Boolean).join(', ');
  return `${instantiateMs.toFixed(0)} ms${of ? ` (${of})` : ''}`;
}

interface Live {
  worker: Worker;
  api: Remote<PluginWorkerApi>;
  port: WorkerPort;
}

export class PluginBridge extends EventTarget {
  state: BridgeState = 'stopped';
  startedAt?: number;
  lastError?: string;
  /** The emit depth of the event being handled now, for the ping-pong guard. */
  currentDepth = 0;
  /** What emits have caused so far from the event whose cascade the one handled now is part of. */
  currentCascade?: Cascade;
  /** Calls ended by a limit (out of fuel, or killed by the watchdog), in a row. */
  consecutiveKills = 0;

  private watchdog?: Watchdog;
  private readonly quotas: CallQuotas;
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
    this.quotas = new CallQuotas(pluginId, (input) => this.deps.trace(input));
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
    const worker = takePluginWorker();
    const port = new WorkerPort(
      {
        hostCall: (fn, args, at) => this.answer(fn, args, at),
        guestTime: (guestMs) => this.watchdog?.report(guestMs),
        log: (fn, args) => void this.deps.hostCall(fn, args),
        output: (out) => this.output(out),
        publish: (event) => this.deps.publish(event),
      },
      worker,
    );
    const live: Live = { worker, api: wrap<PluginWorkerApi>(worker), port };
    worker.addEventListener('error', (e) => {
      e.preventDefault();
      const reason = `the plugin worker failed: ${e.message || 'script error'}`;
      if (this.live === live) this.discard('crashed', reason);
      else this.terminate(live, 'crashed', reason);
      this.setState('error', reason);
    });
    // Instantiation runs guest code too (start functions, a component's init): a start that
    // never returns is killed like a spinning call, so the plugin's queue cannot hang on it.
    const startTimer = setTimeout(
      () => this.terminate(live, 'budget', `killed: the plugin did not finish starting within ${START_TIMEOUT_MS / 1000} s; its worker was terminated`),
      START_TIMEOUT_MS,
    );
    try {
      const logPort = port.remoteLogPort;
      const { fuel } = this.deps.budget();
      const send = (runtime: WorkerStart['runtime']) => live.api.start(transfer({ pluginId: this.pluginId, runtime, fuel, logPort }, [logPort]));
      // A component's start is sent as soon as its bindings are read: the worker imports and
      // runs them while the page still reads and compiles the core modules, then completes it.
      let sent: Promise<StartTimes> | undefined;
      const runtime = await this.deps.load((early) => (sent = send(early)));
      if (sent && runtime.kind === 'component') void live.api.complete(runtime);
      const { instantiateMs, loadMs, waitMs } = await Promise.race([sent ?? send(runtime), port.gone]);
      if (generation !== this.generation) throw new CallEnded('stopped', WORKER_GONE);
      this.live = live;
      this.startedAt = Date.now();
      this.deps.trace({
        kind: 'lifecycle',
        pluginId: this.pluginId,
        step: 'started',
        detail: `worker started; ${runtime.kind === 'component' ? 'component' : 'module'} instantiated in ${startDetail({ instantiateMs, loadMs, waitMs })}`,
        durationMs: performance.now() - began,
      });
      this.setState('running');
      return live;
    } catch (e) {
      this.terminate(live, 'stopped', WORKER_GONE);
      if (e instanceof CallEnded && e.reason === 'budget') {
        this.deps.trace({ kind: 'lifecycle', pluginId: this.pluginId, step: 'killed', detail: e.message });
        this.setState('error', e.message);
      }
      if (e instanceof CallEnded) throw e;
      const message = e instanceof Error ? e.message : String(e);
      this.deps.trace({ kind: 'lifecycle', pluginId: this.pluginId, step: 'failed', detail: `could not start: ${message}` });
      this.setState('error', `could not start: ${message}`);
      throw e;
    } finally {
      clearTimeout(startTimer);
      spareWanted();
    }
  }

  /** Answers one host call from the guest; its time is not charged to the call's budget. */
  private async answer(fn: HostFunctionName, args: unknown[], at: HostAsk): Promise<WitResult<unknown>> {
    const dog = this.watchdog;
    dog?.hostCallStarted(at.guestMs);
    try {
      return await this.deps.hostCall(fn, args, at);
    } finally {
      dog?.hostCallEnded();
    }
  }

  /** WASI stdout/stderr keep the log rules: cleaned, cut, and counted against the call's cap. */
  private output(out: GuestOutput): void {
    if (out.stream === 'refused') {
      this.deps.trace({ kind: 'error', pluginId: this.pluginId, message: cleanLogLine(out.text) });
      return;
    }
    if (this.admitLog()) this.deps.trace({ kind: 'log', pluginId: this.pluginId, level: out.stream, message: cleanLogLine(out.text) });
  }

  private terminate(live: Live, cause: CallEnded['reason'], reason: string): void {
    live.port.kill(cause, reason);
    live.worker.terminate();
  }

  /** Throws the worker away (poisoned or stopped); calls in flight are rejected. */
  private discard(cause: CallEnded['reason'], reason: string): void {
    const live = this.live;
    this.live = undefined;
    if (live) this.terminate(live, cause, reason);
  }

  stop(): void {
    this.generation++;
    const wasLive = this.live !== undefined;
    this.discard('stopped', WORKER_GONE);
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
      return Promise.race([live.api.metadata(), live.port.gone]);
    });
  }

  /** Counts a log line against this call's limit; false when it should be dropped. */
  admitLog(): boolean {
    return this.quotas.admitLog();
  }

  /** Counts an `emit-event` of this call; why it is refused when it is one too many. */
  emitRefusal(): string | undefined {
    return this.quotas.emitRefusal();
  }

  /** The watchdog fired: the guest ran past its time limit. Terminate now; never wait for it. */
  private kill(budget: CallBudget): void {
    const message = `killed: the call ran past its time limit of ${budget.timeMs} ms; its worker was terminated`;
    this.consecutiveKills++;
    this.discard('budget', message);
    this.deps.trace({ kind: 'lifecycle', pluginId: this.pluginId, step: 'killed', detail: `${message}; a fresh worker serves the next event` });
    this.setState('killed', 'killed: time limit exceeded');
    this.dispatchEvent(new Event('killed'));
  }

  /** Delivers one event (what the plugin's runtime takes, made when its turn comes); never rejects. */
  deliver(event: WorkerEvent | (() => Promise<WorkerEvent>), depth: number, cascade?: Cascade): Promise<Delivery> {
    return this.enqueue(async () => {
      const began = performance.now();
      this.currentDepth = depth;
      this.currentCascade = cascade;
      this.quotas.reset();
      let dog: Watchdog | undefined;
      try {
        const live = this.live ?? (await this.start());
        const message = typeof event === 'function' ? await event() : event;
        const budget = this.deps.budget();
        // Sent first: the watchdog is set up while the worker already runs the guest. Nothing
        // the worker sends back can be read before this task ends, so none can miss it.
        const delivered = live.port.deliver(message, budget.fuel);
        dog = new Watchdog(budget.timeMs, () => this.kill(budget), undefined, { ask: () => live.port.askTime(), graceMs: WATCHDOG_GRACE_MS });
        this.watchdog = dog;
        dog.start();
        let reply: EventReply;
        try {
          reply = await delivered;
          // The call's log lines count against it: wait for any still on their way.
          await live.port.logsHandled(reply.logLines);
        } finally {
          dog.stop();
          this.watchdog = undefined;
        }
        this.consecutiveKills = 0;
        await this.deps.afterCall?.(reply);
        const durationMs = performance.now() - began;
        this.quotas.end();
        const { result, fuel, guestMs } = reply;
        return result.tag === 'ok'
          ? { result: 'success', durationMs, fuel, guestMs }
          : { result: 'error', error: `the plugin returned an error: ${result.val}`, durationMs, fuel, guestMs };
      } catch (e) {
        const durationMs = performance.now() - began;
        if (e instanceof CallEnded) {
          // A kill's guest time is what the watchdog charged: the budget, or more if the worker said so.
          return e.reason === 'budget'
            ? { result: 'timeout', error: e.message, durationMs, guestMs: dog?.charged, limit: 'time' }
            : { result: 'killed', error: e.message, durationMs };
        }
        if (this.state !== 'running') return { result: 'error', error: this.lastError ?? String(e), durationMs };
        return this.trapped(e, durationMs);
      } finally {
        this.currentDepth = 0;
        this.currentCascade = undefined;
        // An event is over: if a start took the spare worker, the next may begin now (spare-worker.ts).
        refillSpareWorker();
      }
    });
  }

  /** A trap poisons the instance: it may not be entered again. Running out of fuel is one, too. */
  private trapped(e: unknown, durationMs: number): Delivery {
    const { fuel, guestMs } = e instanceof GuestFailed ? e : {};
    const trap = e instanceof Error ? e.message : String(e);
    const outOfFuel = fuel?.exhausted === true;
    const message = outOfFuel ? trap : `trapped: ${trap}`;
    this.deps.trace({
      kind: 'lifecycle',
      pluginId: this.pluginId,
      step: 'trapped',
      detail: `${trap}; the instance is discarded and a fresh worker serves the next event`,
    });
    this.discard('stopped', message);
    this.setState('stopped', message);
    void this.start().catch(() => {});
    if (!outOfFuel) return { result: 'error', error: message, durationMs, fuel: fuel?.used, guestMs };
    // Like a kill, it counts towards disabling a plugin that keeps running past its limits.
    this.consecutiveKills++;
    this.dispatchEvent(new Event('killed'));
    return { result: 'error', error: message, durationMs, fuel: fuel.used, guestMs, limit: 'fuel' };
  }
}
