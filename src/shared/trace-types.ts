// What the trace holds: one record per thing a plugin or the host did, as the host stamps it.
import type { HostFunctionName, WitResult } from './protocol.ts';

export type LifecycleStep =
  | 'installed'
  | 'updated'
  /** A new build of an installed plugin replaced it in place (watched file, dropped on its card). */
  | 'reloaded'
  | 'approved'
  | 'removed'
  | 'transpiled'
  | 'instrumented'
  | 'cache-hit'
  | 'starting'
  | 'started'
  | 'stopped'
  | 'trapped'
  | 'killed'
  | 'disabled'
  | 'failed';

/** Where the guest's call was when it asked a host function, as its worker counted. */
export interface AskedAt {
  /** Fuel the call had used. */
  fuel?: number;
  /** The guest's own time in the call so far, in ms: its waits on the page are not in it. */
  guestMs?: number;
}

interface TraceBase {
  seq: number;
  /** Milliseconds since the epoch. */
  time: number;
  pluginId: string;
}

export type TraceRecord =
  | (TraceBase & { kind: 'event'; event: string; payload: unknown })
  | (TraceBase & {
      kind: 'event-result';
      event: string;
      result: 'success' | 'error' | 'timeout' | 'killed';
      error?: string;
      durationMs: number;
      /** The fuel it used (none when its worker was terminated), and which limit (fuel, the watchdog's time) ended it. */
      fuel?: number;
      /** The guest's own time, which the watchdog charges: durationMs less its waits on the page. */
      guestMs?: number;
      limit?: 'fuel' | 'time';
    })
  | (TraceBase & {
      kind: 'host-call';
      fn: HostFunctionName;
      args: unknown[];
      result: WitResult<unknown>;
      durationMs: number;
    } & AskedAt)
  | (TraceBase & { kind: 'permission'; fn: HostFunctionName; permission: string; allowed: boolean; reason: string })
  | (TraceBase & { kind: 'log'; level: 'info' | 'warn' | 'error' | 'stdout' | 'stderr'; message: string })
  | (TraceBase & { kind: 'lifecycle'; step: LifecycleStep; detail: string; durationMs?: number })
  | (TraceBase & { kind: 'published'; event: unknown })
  | (TraceBase & {
      kind: 'host-request';
      /** The function a SoundTime module named in its `host_requests` output. */
      function: string;
      args: unknown;
      /** `applied` (then a host-call record follows), `refused` (bad arguments) or `ignored` (unknown function). */
      outcome: 'applied' | 'refused' | 'ignored';
      reason?: string;
    })
  | (TraceBase & {
      kind: 'http';
      method: string;
      url: string;
      allowed: boolean;
      reason: string;
      requestHeaders: Array<[string, string]>;
    })
  | (TraceBase & {
      kind: 'http-response';
      url: string;
      status: number;
      responseHeaders: Array<[string, string]>;
      bodyBytes: number;
      durationMs: number;
    })
  | (TraceBase & { kind: 'error'; message: string });

export type TraceKind = TraceRecord['kind'];

/** Every kind of trace record, in the order the trace's filter lists them. */
export const TRACE_KINDS = [
  'event',
  'event-result',
  'host-call',
  'permission',
  'log',
  'lifecycle',
  'http',
  'http-response',
  'published',
  'host-request',
  'error',
] as const satisfies readonly TraceKind[];
// Fails to compile when a kind is added to the trace but not to the list.
const everyKindListed: Exclude<TraceKind, (typeof TRACE_KINDS)[number]> extends never ? true : never = true;
void everyKindListed;

/** A trace record before the trace stamps it. */
export type TraceInput = TraceRecord extends infer R ? (R extends TraceRecord ? Omit<R, 'seq' | 'time'> : never) : never;
