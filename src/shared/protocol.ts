// Everything that crosses a thread boundary, typed in one place.
//   page -> compile worker  : CompileWorkerApi (Comlink)
//   page -> plugin worker   : PluginWorkerApi (Comlink): start, metadata
//   page <-> plugin worker  : PageToWorker / WorkerToPage, plain messages on a port owned by
//                             one plugin: every event and every host call takes this path, so
//                             it pays for one structured clone each way and nothing else
//   plugin worker -> page   : LogMessage, unanswered, on a second port
//   host -> UI              : TraceRecord (in-page events; trace-types.ts)
import type { FuelMeter, FuelReading } from './fuel.ts';

/** A `result<T, string>` as jco lowers it: the host answers with this shape. */
export type WitResult<T> = { tag: 'ok'; val: T } | { tag: 'err'; val: string };

/** Errors never cross a boundary as class instances: only these plain objects. */
export interface PlainError {
  name: string;
  message: string;
}

/**
 * What kind of plugin it is: a component of the playground's world or Hydrust's (contract.ts),
 * or a SoundTime Extism module (src/host/runtimes/soundtime.ts).
 */
export type Profile = 'playground' | 'hydrust' | 'soundtime';

// ---- compile worker -------------------------------------------------------------------

export interface TranspileOptions {
  /** Host imports made async (suspending) through JSPI, as `<pkg>/<iface>#<func>`. */
  jspiImports: string[];
  /** Guest exports made async (promising) through JSPI. */
  jspiExports: string[];
  /**
   * `hybrid`: an import that carries `[Symbol.for('cabiLower')]` gives jco its core function
   * (src/worker/host-abi.ts); the others get jco's generated JS bindings.
   */
  importBindings?: 'js' | 'hybrid';
}

export interface Transpiled {
  /** Generated JS module and core wasm modules, by file name. */
  files: Record<string, Uint8Array>;
  /** Unversioned import names, e.g. `wasi:cli/stdout`, `playground:plugin/host`. */
  imports: string[];
  /** Export names with their kind, e.g. [`playground:plugin/guest@0.1.0`, `instance`]. */
  exports: Array<[string, 'function' | 'instance']>;
}

export interface Inspection {
  /** The component's world in WIT text (what it imports and exports, with versions). */
  wit: string;
  transpiled: Transpiled;
  transpileMs: number;
}

/** The same core modules, by name, each counting fuel (src/compile/fuel/). */
export type Instrumented = { modules: Record<string, Uint8Array>; instrumentMs: number };

export interface CompileWorkerApi {
  /** Transpiles a component; throws a PlainError with a user-facing message on bad input. */
  inspect(bytes: Uint8Array, options: TranspileOptions): Promise<Inspection>;
  /** Instruments core modules (`exportCounter`: for Extism, src/shared/fuel.ts); throws a PlainError naming a module it cannot read. */
  instrument(modules: Record<string, Uint8Array>, options: { exportCounter?: boolean }): Promise<Instrumented>;
}

// ---- plugin worker --------------------------------------------------------------------

export interface PluginInfo {
  name: string;
  version: string;
  author: string;
  description: string;
}

/** A transpiled component, as its plugin worker runs it. */
export interface ComponentStart {
  kind: 'component';
  profile: 'playground' | 'hydrust';
  /** The generated bindings: a JavaScript module, as a Blob the page hands on without reading it. */
  bindings: Blob;
  /** Its core modules, compiled once on the page (a Module is structured-clonable). */
  modules: Record<string, WebAssembly.Module>;
}

/**
 * A component's start sent while the page is still reading and compiling its core modules: the
 * worker imports the bindings and runs them up to their first wait for a module meanwhile.
 * `PluginWorkerApi.complete` brings the rest.
 */
export type EarlyStart = Omit<ComponentStart, 'modules'>;

/** What a plugin worker runs: a transpiled component, or a SoundTime (Extism) core module. */
export type RuntimeStart =
  | ComponentStart
  | {
      kind: 'soundtime';
      module: WebAssembly.Module;
      /** Extism's own memory blocks are capped too, in 64 KiB pages. */
      maxPages: number;
      /** The plugin's config when the worker starts; each event brings it up to date. */
      config: Record<string, string>;
    };

export interface WorkerStart {
  pluginId: string;
  runtime: RuntimeStart | EarlyStart;
  /** Fuel for instantiating (start functions and init code run counted) and for metadata(). */
  fuel: number;
  /** Log lines go here as plain `LogMessage`s, unanswered; cheaper than an RPC per line. */
  logPort: MessagePort;
}

/** What a worker says about its start; each share is part of `instantiateMs`. */
export interface StartTimes {
  instantiateMs: number;
  /** Loading the runtime's code (e.g. importing the generated bindings). */
  loadMs?: number;
  /** Waiting for the page's compiled core modules, after an early start. */
  waitMs?: number;
}

/** On the log port, worker -> page: a line, or a flush the page answers with `flushed`. */
export type LogMessage = { kind: 'log'; fn: HostFunctionName; args: unknown[] } | { kind: 'flush' };
export type LogReply = { kind: 'flushed' };

/** One entry of a SoundTime handler's `{"host_requests": [...]}` output, as the module wrote it. */
export type HostRequest = { function: string; args: unknown };

/**
 * What delivering an event returns: the guest's result, the fuel it used, and how many log lines
 * the worker has sent since it started, so the page can wait for them without a round trip.
 */
export interface EventReply {
  result: WitResult<null>;
  fuel: number;
  logLines: number;
  /** SoundTime's output protocol: applied by the page, in order, after the call. */
  hostRequests?: HostRequest[];
  /** Requests past the per-call cap, not sent. */
  hostRequestsDropped?: number;
  /** Output the worker could not read as SoundTime's protocol (not JSON, too long, ...). */
  outputProblem?: string;
  /** The guest's own time in the call, in ms (its waits on the page left out), as the worker's port counted it. */
  guestMs?: number;
}

/**
 * The event a worker's runtime is given: a WIT `event` value for a component, or the handler
 * to call and its JSON input for a SoundTime module (with the plugin's config as it is now).
 */
export type WorkerEvent = { kind: 'component'; value: unknown } | { kind: 'soundtime'; handler: string; input: string; config: Record<string, string> };

export interface PluginWorkerApi {
  /**
   * Instantiates the plugin; resolves once it can take calls: events in and host calls out then
   * travel on the worker's own channel (`PageToWorker` / `WorkerToPage`, each with its `kind`).
   */
  start(init: WorkerStart): Promise<StartTimes>;
  /**
   * The rest of an early start (`EarlyStart`): the component whole, its core modules compiled.
   * Its bindings are the same file; they are imported only if the early ones could not be.
   */
  complete(runtime: ComponentStart): void;
  /** `metadata()`, or Hydrust's `get-info()`; SoundTime modules have none. */
  metadata(): Promise<PluginInfo>;
}

/** What a runtime inside the plugin worker offers, whatever it runs. */
export interface GuestRuntime {
  /** The instance's fuel counter, read when the guest asks the host for something. */
  readonly meter: FuelMeter;
  /** How long loading its code took (importing generated bindings), before any guest code ran. */
  readonly loadMs?: number;
  /** How long it waited for the page's compiled core modules (an early start). */
  readonly waitMs?: number;
  metadata(): Promise<PluginInfo>;
  /** One call with `fuel` to spend; a trap rejects with the fuel it used (worker/metered.ts). */
  onEvent(event: WorkerEvent, fuel: number): Promise<EventReply>;
}

/**
 * Page -> worker on the plugin worker's own channel. `event` delivers one event (a WIT `event`
 * value, or a SoundTime handler and its input) with the fuel it may use; `host-result` answers
 * the worker's `host-call` of the same id.
 */
export type PageToWorker =
  | { kind: 'event'; id: number; event: WorkerEvent; fuel: number }
  | { kind: 'host-result'; id: number; result: WitResult<unknown> }
  /** How much guest time has the current event used? Answered with `time` unless the guest runs. */
  | { kind: 'time' };

/**
 * Worker -> page on the plugin worker's own channel. A delivered event ends `event-done` (a guest
 * `err` is a value in its reply) or `event-failed` (a trap, after the lines it logged were
 * flushed, with the fuel it used, whether it ran out, and its guest time). A host call carries
 * the fuel its call has used so far.
 */
export type WorkerToPage =
  | { kind: 'event-done'; id: number; reply: EventReply }
  | { kind: 'event-failed'; id: number; error: PlainError; fuel?: FuelReading; guestMs?: number }
  /** `guestMs`: the guest's own time in this event so far, measured in the worker. */
  | { kind: 'host-call'; id: number; fn: HostFunctionName; args: unknown[]; guestMs: number; fuel?: number }
  | { kind: 'time'; guestMs: number }
  | { kind: 'output'; out: GuestOutput }
  | { kind: 'publish'; event: unknown };

// Comlink's start and metadata calls share the worker's channel: each end takes only these kinds.
const PAGE_TO_WORKER_KINDS: ReadonlySet<unknown> = new Set<PageToWorker['kind']>(['event', 'host-result', 'time']);
const WORKER_TO_PAGE_KINDS: ReadonlySet<unknown> = new Set<WorkerToPage['kind']>(['host-call', 'time', 'output', 'publish', 'event-done', 'event-failed']);
const kindIn = (kinds: ReadonlySet<unknown>, data: unknown) => typeof data === 'object' && data !== null && kinds.has((data as { kind?: unknown }).kind);

export const isPageToWorker = (data: unknown): data is PageToWorker => kindIn(PAGE_TO_WORKER_KINDS, data);
export const isWorkerToPage = (data: unknown): data is WorkerToPage => kindIn(WORKER_TO_PAGE_KINDS, data);

// ---- host imports ---------------------------------------------------------------------

export const HOST_FUNCTIONS = [
  'get-track',
  'search-tracks',
  'set-track-lyrics',
  'set-track-genre',
  'set-track-metadata',
  'list-users',
  'get-user',
  'http-get',
  'http-post',
  'get-config',
  'set-config',
  'delete-config',
  'log-info',
  'log-warn',
  'log-error',
  'get-instance-info',
  'get-current-timestamp',
  'emit-event',
] as const;

export type HostFunctionName = (typeof HOST_FUNCTIONS)[number];

export function isHostFunctionName(value: unknown): value is HostFunctionName {
  return typeof value === 'string' && (HOST_FUNCTIONS as readonly string[]).includes(value);
}

/** Host functions whose WIT signature has no `result`: the worker unwraps their `ok`. */
export const INFALLIBLE_HOST_FUNCTIONS: ReadonlySet<HostFunctionName> = new Set([
  'log-info',
  'log-warn',
  'log-error',
  'get-instance-info',
  'get-current-timestamp',
]);

/** Guest output that is not a host call (WASI stdout/stderr, refused WASI calls). */
export interface GuestOutput {
  stream: 'stdout' | 'stderr' | 'refused';
  text: string;
}

/** What a plugin worker asks of its page; the port it arrives on is the caller's identity. */
export interface HostPortApi {
  call(fn: HostFunctionName, args: unknown[]): Promise<WitResult<unknown>>;
  output(out: GuestOutput): void;
  /** Hydrust's world-level `publish(ev)`. */
  publish(event: unknown): void;
}

/** Host functions the worker forwards without waiting: they answer nothing. */
export const FIRE_AND_FORGET_HOST_FUNCTIONS: ReadonlySet<HostFunctionName> = new Set(['log-info', 'log-warn', 'log-error']);
