// What a plugin bridge needs from the page and what its calls end in: the types the plugin
// manager, the dispatcher and the settings share with plugin-bridge.ts.
import type { EventReply, HostFunctionName, RuntimeStart, WitResult } from '../shared/protocol.ts';
import type { AskedAt, TraceInput } from '../shared/trace-types.ts';
import type { EarlyStarter } from './runtimes/types.ts';

/**
 * How a host call was asked: where its guest's call was, and, from a plugin's worker, `answer`,
 * which sends the result on the spot, so the guest goes on while the page writes the trace.
 */
export interface HostAsk extends AskedAt {
  answer?(result: WitResult<unknown>): void;
}

export type BridgeState = 'stopped' | 'starting' | 'running' | 'killed' | 'error';

export interface BridgeDeps {
  /** What the worker runs: the runtime's start message (compiled modules and all); see EarlyStarter. */
  load(early?: EarlyStarter): Promise<RuntimeStart>;
  /** `at`: the fuel and the time the guest's call had used when it asked, and where to answer. */
  hostCall(fn: HostFunctionName, args: unknown[], at?: HostAsk): Promise<WitResult<unknown>>;
  /** Hydrust's `publish(ev)`. */
  publish(event: unknown): void;
  /** After a call: what its reply asks the host to do (SoundTime's `host_requests`). */
  afterCall?(reply: EventReply): Promise<void>;
  trace(input: TraceInput): void;
  /** One call's limits: the fuel it may use, and the guest time the watchdog allows. */
  budget(): CallBudget;
}

export interface CallBudget {
  fuel: number;
  timeMs: number;
}

/** The deliveries emits have caused so far, from one event the host delivered. */
export interface Cascade {
  deliveries: number;
}

export interface Delivery {
  /** `timeout`: the watchdog killed it; `killed`: its worker was stopped some other way. */
  result: 'success' | 'error' | 'timeout' | 'killed';
  error?: string;
  durationMs: number;
  /** Fuel the call used (unknown when its worker was terminated). */
  fuel?: number;
  /** The guest's own time, which the watchdog charges: as its worker counted when the call ended or trapped; for a kill, what the watchdog charged. */
  guestMs?: number;
  /** The limit that ended the call: `fuel` ran out, or the watchdog's `time`. */
  limit?: 'fuel' | 'time';
}
