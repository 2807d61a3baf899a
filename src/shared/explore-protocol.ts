// Everything the Explore view sends across a thread boundary.
//   page -> compile worker : ExploreCompileApi (Comlink): full WIT, type model, transpiled files
//   page -> explore worker : ExploreWorkerApi (Comlink): start, call an export, set a stub
//   explore worker -> page : ExploreEvent, unanswered, on the port given at start: import calls
//                            (stubs and refused WASI) and guest output, for the trace
import type { WitWorld } from './wit/model.ts';
import type { GuestOutput, PlainError, Transpiled } from './protocol.ts';

export type { GuestOutput, PlainError };

// ---- compile worker -------------------------------------------------------------------

export interface ExploredComponent {
  /** The component's whole WIT: its world, then every interface it imports or exports in full. */
  wit: string;
  world: WitWorld;
  /** Transpiled without JSPI: stubs answer synchronously inside the worker. */
  transpiled: Transpiled;
  transpileMs: number;
}

export interface ExploreCompileApi {
  /** Reads and transpiles any component; throws a user-facing message on what it cannot handle. */
  explore(bytes: Uint8Array): Promise<ExploredComponent>;
}

// ---- explore worker -------------------------------------------------------------------

export interface ExploreStart {
  /** Generated bindings file name inside `files`. */
  entry: string;
  /** Core modules already capped to the memory limit. */
  files: Record<string, Uint8Array>;
  world: WitWorld;
  /** Checked values (see wit/values.ts) by `<interface>#<function>`; the rest return zero values. */
  stubs: Record<string, unknown>;
  /** Where ExploreEvents go. */
  events: MessagePort;
}

/**
 * One call's outcome. A function returning `result` reports a guest `err` as a value
 * (`{tag: 'err', val}`); `failed` is everything else: a trap, or an argument jco refused. After
 * a failure the instance must not be entered again.
 */
export type CallOutcome = ({ kind: 'returned'; value: unknown } | { kind: 'failed'; error: PlainError }) & {
  durationMs: number;
  /** ExploreEvents sent since the worker started: the page waits for them, so the trace shows a call's imports before its result. */
  events: number;
};

export interface ExploreWorkerApi {
  start(init: ExploreStart): Promise<{ instantiateMs: number }>;
  /** Calls an export by `<interface>#<function>` (or `<function>` at the root) with checked values. */
  call(key: string, args: unknown[]): Promise<CallOutcome>;
  /** Sets (or with undefined, clears back to the zero value) what a stubbed import returns. */
  setStub(key: string, value: unknown): void;
}

export type ExploreEvent = { kind: 'import-call'; fn: string; args: unknown[]; result?: unknown; error?: string } | { kind: 'output'; out: GuestOutput };
