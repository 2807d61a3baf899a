// The worker's end of its plugin's channel: events come in, host calls go out, as plain messages
// (see WorkerToPage / PageToWorker) on the worker's own channel, which Comlink's start and
// metadata calls share: only this port's kinds are taken. An event and a host call each cost one
// message each way.
import type { FuelMeter } from '../shared/fuel.ts';
import { MAX_HOST_CALLS_PER_CALL } from '../shared/limits.ts';
import {
  isPageToWorker,
  type EventReply,
  type GuestOutput,
  type HostFunctionName,
  type HostPortApi,
  type PageToWorker,
  type WitResult,
  type WorkerEvent,
  type WorkerToPage,
} from '../shared/protocol.ts';
import { Trap } from './metered.ts';

/** What a host call past the quota answers; the guest's own time goes on while it makes them. */
export const HOST_CALL_QUOTA_REFUSAL = `host-call quota: this call has made ${MAX_HOST_CALLS_PER_CALL.toLocaleString('en')} host calls, the most one call may make; the rest are refused`;

/** The worker's own scope, as far as its channel goes. */
export type PageEndpoint = { postMessage(message: unknown): void; addEventListener(type: 'message', listener: (e: MessageEvent) => void): void };

export class PagePort implements HostPortApi {
  private nextId = 1;
  /** Host calls of the event being handled; past the quota they are refused here, never posted. */
  private hostCalls = 0;
  /** The guest's own time in the event being handled: since it began, less its waits on the page. */
  private eventBegan = 0;
  private waited = 0;
  private waitBegan?: number;
  private readonly answers = new Map<number, (result: WitResult<unknown>) => void>();
  private handler?: (event: WorkerEvent, fuel: number) => Promise<EventReply>;
  /** The running instance's counter: each host call says how much fuel its call has used. */
  meter?: FuelMeter;

  constructor(private readonly port: PageEndpoint) {
    port.addEventListener('message', (e: MessageEvent<unknown>) => {
      if (isPageToWorker(e.data)) this.receive(e.data);
    });
  }

  /** Delivers the events that arrive from now on to `handler`. */
  serve(handler: (event: WorkerEvent, fuel: number) => Promise<EventReply>): void {
    this.handler = handler;
  }

  private guestMs(): number {
    const now = performance.now();
    return now - this.eventBegan - this.waited - (this.waitBegan === undefined ? 0 : now - this.waitBegan);
  }

  call(fn: HostFunctionName, args: unknown[]): Promise<WitResult<unknown>> {
    if (++this.hostCalls > MAX_HOST_CALLS_PER_CALL) {
      // Said once, on the page's trace; the refusals cost the page nothing.
      if (this.hostCalls === MAX_HOST_CALLS_PER_CALL + 1) this.output({ stream: 'refused', text: HOST_CALL_QUOTA_REFUSAL });
      return Promise.resolve({ tag: 'err', val: HOST_CALL_QUOTA_REFUSAL });
    }
    const id = this.nextId++;
    const guestMs = this.guestMs();
    this.waitBegan = performance.now();
    return new Promise((resolve) => {
      this.answers.set(id, (result) => {
        if (this.waitBegan !== undefined) this.waited += performance.now() - this.waitBegan;
        this.waitBegan = undefined;
        resolve(result);
      });
      this.send({ kind: 'host-call', id, fn, args, guestMs, fuel: this.meter?.used() });
    });
  }

  output(out: GuestOutput): void {
    this.send({ kind: 'output', out });
  }

  publish(event: unknown): void {
    this.send({ kind: 'publish', event });
  }

  private send(message: WorkerToPage): void {
    this.port.postMessage(message);
  }

  private receive(message: PageToWorker): void {
    // Answered only while the guest is not running: a spinning guest keeps this worker silent.
    if (message.kind === 'time') return this.send({ kind: 'time', guestMs: this.guestMs() });
    if (message.kind === 'host-result') {
      const answer = this.answers.get(message.id);
      this.answers.delete(message.id);
      answer?.(message.result);
      return;
    }
    const { id } = message;
    if (!this.handler) {
      this.send({ kind: 'event-failed', id, error: { name: 'Error', message: 'the plugin has not been started' } });
      return;
    }
    this.eventBegan = performance.now();
    this.hostCalls = 0;
    this.waited = 0;
    this.waitBegan = undefined;
    this.handler(message.event, message.fuel).then(
      (reply) => this.send({ kind: 'event-done', id, reply: { ...reply, guestMs: this.guestMs() } }),
      (e: unknown) =>
        this.send({
          kind: 'event-failed',
          id,
          error: e instanceof Error ? { name: e.name, message: e.message } : { name: 'Error', message: String(e) },
          fuel: e instanceof Trap ? e.fuel : undefined,
          guestMs: this.guestMs(),
        }),
    );
  }
}
