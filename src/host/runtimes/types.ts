// What differs between the kinds of plugin the playground runs, behind one interface: a jco
// component (playground or Hydrust world) and a SoundTime Extism module. Install, the loader and
// the dispatcher ask the plugin's runtime; adding a kind adds a runtime, not branches elsewhere.
import type { EventName, MediaEvent } from '../../shared/events.ts';
import type { Manifest } from '../../shared/manifest.ts';
import type { EarlyStart, EventReply, PluginInfo, Profile, RuntimeStart, WorkerEvent } from '../../shared/protocol.ts';
import type { TraceInput } from '../../shared/trace-types.ts';
import type { WasmKind } from '../../shared/wasm-file.ts';

export interface WasmFile {
  name: string;
  sha256: string;
  bytes: Uint8Array;
}

/** What install learns about a file before anything of it runs. */
export interface Inspected {
  profile: Profile;
  /** Shown in the WIT tab: the component's world, or the module's imports and exports. */
  wit: string;
  imports: string[];
  exports: string[];
  /** How long transpiling took; undefined when nothing was transpiled (a cache hit, a module). */
  transpileMs?: number;
  /** How long instrumenting its core modules to count fuel took, when that ran. */
  instrumentMs?: number;
}

/** A plugin as the loader and dispatcher see it. */
export interface RuntimePlugin {
  id: string;
  profile: Profile;
  sha256: string;
  bytes: Uint8Array;
  exports: string[];
}

export interface Loaded {
  start: RuntimeStart;
  /** A lifecycle step worth tracing (e.g. transpiled or from the cache). */
  note?: Omit<Extract<TraceInput, { kind: 'lifecycle' }>, 'pluginId' | 'kind'>;
}

/** Takes a component's start (its generated bindings) while its core modules are still being read and compiled. */
export type EarlyStarter = (start: EarlyStart) => void;

export interface RuntimeContext {
  /** The plugin's config now (SoundTime modules read it synchronously, so it travels with each event). */
  config(pluginId: string): Promise<Record<string, string>>;
}

export interface HostRuntime {
  readonly kind: RuntimeStart['kind'];
  /** Whether this runtime runs such a file (checked on the preamble and, if needed, the module). */
  recognises(kind: WasmKind, bytes: Uint8Array): Promise<boolean>;
  /** Reads what the file is; throws an Error whose message is a full sentence for the user. */
  inspect(file: WasmFile): Promise<Inspected>;
  /** What the plugin says about itself; `probe` runs metadata() in a throwaway worker. */
  info(file: WasmFile, inspected: Inspected, probe: () => Promise<PluginInfo>): Promise<PluginInfo>;
  /** The events a draft manifest subscribes to: all the plugin can take, since events grant nothing. */
  draftEvents(inspected: Inspected): EventName[];
  /** Warnings about a manifest for this file (e.g. events it has no handler for). */
  warnings(manifest: Manifest, exports: readonly string[]): string[];
  /**
   * Everything the plugin's worker needs to start, compiled, with every memory capped. A runtime
   * with generated bindings hands a start with them to `early` as soon as it has read them,
   * before the rest; the worker's start then begins while the page compiles.
   */
  load(plugin: RuntimePlugin, memoryCapBytes: number, early?: EarlyStarter): Promise<Loaded>;
  /**
   * The call an event becomes for this plugin, or undefined when the plugin does not take it. A
   * function makes it when its turn in the plugin's queue comes (for what must be read then).
   */
  workerEvent(plugin: RuntimePlugin, event: MediaEvent, context: RuntimeContext): WorkerEvent | (() => Promise<WorkerEvent>) | undefined;
  /** After a call: what its reply asks of the host (SoundTime's host_requests). */
  afterCall?(pluginId: string, reply: EventReply): Promise<void>;
}
