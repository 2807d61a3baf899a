// The page's end of a plugin's channels, mirroring src/worker/page-port.ts: events go out and
// end in `event-done` / `event-failed`; host calls come in and are answered with `host-result`;
// log lines arrive unanswered on their own port and are counted, so a call can wait for its own.
// Events and host calls travel on the worker's own channel, beside Comlink's start and metadata
// calls, told apart by their `kind`: a round trip there took 20 µs less than on a
// MessageChannel port, on every event and every host call. Killing the port settles everything
// still waiting, because nothing on the other side of a terminated worker will ever answer.
import {
  FIRE_AND_FORGET_HOST_FUNCTIONS,
  isHostFunctionName,
  isWorkerToPage,
  type EventReply,
  type GuestOutput,
  type HostFunctionName,
  type LogMessage,
  type LogReply,
  type PageToWorker,
  type WitResult,
  type WorkerEvent,
  type WorkerToPage,
} from '../shared/protocol.ts';
import type { FuelReading } from '../shared/fuel.ts';
import type { HostAsk } from './bridge-types.ts';

/** What the guest is told when the host could not give it an answer. */
function couldNot(e: unknown): WitResult<unknown> {
  return { tag: 'err', val: `the host could not answer: ${e instanceof Error ? e.message : String(e)}` };
}

/** Why a call ended without an answer from the guest. */
export type EndCause = 'budget' | 'stopped' | 'crashed';

export class CallEnded extends Error {
  override name = 'CallEnded';
  constructor(
    readonly reason: EndCause,
    message: string,
  ) {
    super(message);
  }
}

/** A call the guest did not finish: it trapped or ran out of fuel, and used `fuel` until then. */
export class GuestFailed extends Error {
  constructor(
    name: string,
    message: string,
    readonly fuel?: FuelReading,
    /** The guest's own time until it failed, as its worker counted. */
    readonly guestMs?: number,
  ) {
    super(message);
    this.name = name;
  }
}

export interface WorkerPortHandlers {
  /**
   * Answers one host call; the worker it came from is the caller's identity. `at`: the worker's
   * guest time so far and the fuel the call has used, and `answer`, which sends the result (once).
   */
  hostCall(fn: HostFunctionName, args: unknown[], at: HostAsk): Promise<WitResult<unknown>>;
  /** The worker's answer to `askTime`. */
  guestTime(guestMs: number): void;
  /** A `log-*` line, sent without waiting for an answer. */
  log(fn: HostFunctionName, args: unknown[]): void;
  output(out: GuestOutput): void;
  publish(event: unknown): void;
}

type Pending = { resolve: (reply: EventReply) => void; reject: (error: Error) => void };

/** The plugin's worker, as far as its channel goes. */
export type WorkerEndpoint = Pick<Worker, 'postMessage' | 'addEventListener' | 'removeEventListener'>;

export class WorkerPort {
  /** The worker's end of the log port, transferred to it at start. */
  readonly remoteLogPort: MessagePort;
  /** Rejects when the port is killed; for the rare waits (start, metadata) that race it. */
  readonly gone: Promise<never>;

  private readonly logs: MessagePort;
  private readonly deliveries = new Map<number, Pending>();
  private readonly logWaiters: Array<{ count: number; resolve: () => void; reject: (error: Error) => void }> = [];
  private nextDelivery = 1;
  private linesHandled = 0;
  private dead?: CallEnded;
  private rejectGone!: (error: CallEnded) => void;

  constructor(
    private readonly handlers: WorkerPortHandlers,
    private readonly host: WorkerEndpoint,
  ) {
    const logChannel = new MessageChannel();
    this.logs = logChannel.port1;
    this.remoteLogPort = logChannel.port2;
    this.gone = new Promise<never>((_, reject) => (this.rejectGone = reject));
    this.gone.catch(() => {});
    this.host.addEventListener('message', this.onHostMessage);
    this.logs.onmessage = (e: MessageEvent<LogMessage>) => this.receiveLog(e.data);
  }

  /** Comlink's answers share the channel; only this port's kinds are taken. */
  private readonly onHostMessage = (e: MessageEvent<unknown>): void => {
    if (isWorkerToPage(e.data)) this.receive(e.data);
  };

  get ended(): CallEnded | undefined {
    return this.dead;
  }

  private send(message: PageToWorker): void {
    this.host.postMessage(message);
  }

  /** Delivers one event with `fuel` to spend; a trap rejects with GuestFailed, a kill with CallEnded. */
  deliver(event: WorkerEvent, fuel: number): Promise<EventReply> {
    return new Promise((resolve, reject) => {
      if (this.dead) return reject(this.dead);
      const id = this.nextDelivery++;
      this.deliveries.set(id, { resolve, reject });
      this.send({ kind: 'event', id, event, fuel });
    });
  }

  /** Asks the worker how much guest time the current event has used (see Watchdog). */
  askTime(): void {
    if (!this.dead) this.send({ kind: 'time' });
  }

  /** Resolves once the worker's first `count` log lines have been handled. */
  logsHandled(count: number): Promise<void> {
    if (this.dead) return Promise.reject(this.dead);
    if (count <= this.linesHandled) return Promise.resolve();
    return new Promise((resolve, reject) => this.logWaiters.push({ count, resolve, reject }));
  }

  /** Settles everything waiting on this worker and closes the ports. Idempotent. */
  kill(cause: EndCause, message: string): void {
    this.dead ??= new CallEnded(cause, message);
    this.rejectGone(this.dead);
    for (const delivery of this.deliveries.values()) delivery.reject(this.dead);
    this.deliveries.clear();
    for (const waiter of this.logWaiters.splice(0)) waiter.reject(this.dead);
    this.host.removeEventListener('message', this.onHostMessage);
    this.logs.close();
  }

  private receive(message: WorkerToPage): void {
    switch (message.kind) {
      case 'host-call': {
        const { id, fn, args, guestMs, fuel } = message;
        let answered = false;
        // The host answers as soon as it has the result, and writes its trace after. An answer
        // that cannot be sent (one that does not clone) must still end the guest's wait.
        const answer = (result: WitResult<unknown>) => {
          if (answered) return;
          answered = true;
          try {
            this.send({ kind: 'host-result', id, result });
          } catch (e) {
            this.send({ kind: 'host-result', id, result: couldNot(e) });
          }
        };
        const asked = { guestMs: Number.isFinite(guestMs) ? guestMs : 0, fuel: typeof fuel === 'number' ? fuel : undefined, answer };
        const result = isHostFunctionName(fn)
          ? this.handlers.hostCall(fn, Array.isArray(args) ? args : [], asked)
          : Promise.resolve<WitResult<unknown>>({ tag: 'err', val: `unknown host function ${String(fn)}` });
        void result.then(answer, (e: unknown) => answer(couldNot(e)));
        break;
      }
      case 'time':
        if (Number.isFinite(message.guestMs)) this.handlers.guestTime(message.guestMs);
        break;
      case 'output':
        this.handlers.output(message.out);
        break;
      case 'publish':
        this.handlers.publish(message.event);
        break;
      case 'event-done':
      case 'event-failed': {
        const delivery = this.deliveries.get(message.id);
        this.deliveries.delete(message.id);
        if (message.kind === 'event-done') delivery?.resolve(message.reply);
        else
          delivery?.reject(
            new GuestFailed(message.error.name, message.error.message, message.fuel, Number.isFinite(message.guestMs) ? message.guestMs : undefined),
          );
        break;
      }
    }
  }

  private receiveLog(message: LogMessage): void {
    if (message.kind === 'flush') {
      this.logs.postMessage({ kind: 'flushed' } satisfies LogReply);
      return;
    }
    this.linesHandled++;
    if (isHostFunctionName(message.fn) && FIRE_AND_FORGET_HOST_FUNCTIONS.has(message.fn)) {
      this.handlers.log(message.fn, Array.isArray(message.args) ? message.args : []);
    }
    while (this.logWaiters[0] && this.logWaiters[0].count <= this.linesHandled) this.logWaiters.shift()!.resolve();
  }
}
