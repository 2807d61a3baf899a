// The component runtime: instantiates one transpiled component inside the plugin worker and
// adapts its exports. Its core modules were instrumented in the compile worker; they all share
// one FuelMeter, merged into each one's imports by jco's `instantiateCore` hook.
// Holds no policy: every host import is forwarded, unchanged, to the page over the plugin's channel.
import { GUEST_EXPORT, HOST_INTERFACE } from '../../shared/contract.ts';
import { FuelMeter } from '../../shared/fuel.ts';
import {
  FIRE_AND_FORGET_HOST_FUNCTIONS,
  type ComponentStart,
  type EventReply,
  HOST_FUNCTIONS,
  INFALLIBLE_HOST_FUNCTIONS,
  type HostFunctionName,
  type HostPortApi,
  type GuestRuntime,
  type PluginInfo,
  type WitResult,
  type WorkerEvent,
} from '../../shared/protocol.ts';
import type { GuestMemory } from '../canon.ts';
import { coreOnEvent, type CoreInstance } from '../guest-abi.ts';
import { CABI_LOWER, coreImport, importName } from '../host-abi.ts';
import { LogChannel } from '../log-channel.ts';
import { asTrap, metered } from '../metered.ts';
import { wasiImports } from '../wasi.ts';

/** The two exports every profile maps onto. Sync Hydrust exports are awaited just the same. */
interface Guest {
  metadata(): PluginInfo | Promise<PluginInfo>;
  onEvent(event: unknown): void | Promise<void>;
}

type InstantiateCore = (module: WebAssembly.Module, imports: WebAssembly.Imports) => Promise<WebAssembly.Instance>;

export interface GeneratedBindings {
  instantiate(
    getCoreModule: (name: string) => Promise<WebAssembly.Module>,
    imports: Record<string, unknown>,
    instantiateCore: InstantiateCore,
  ): Promise<Record<string, unknown>>;
}

/** Imports the generated bindings (an ES module) from its own blob: URL. */
export async function importBindings(bindings: Blob): Promise<GeneratedBindings> {
  // A module script is only imported with a JavaScript MIME type.
  const url = URL.createObjectURL(bindings.type === 'text/javascript' ? bindings : new Blob([bindings], { type: 'text/javascript' }));
  try {
    return (await import(/* @vite-ignore */ url)) as GeneratedBindings;
  } finally {
    URL.revokeObjectURL(url);
  }
}

/** What the guest is given for a host function's answer: a WIT `result` whole, else its `ok`. */
function answerOf(fn: HostFunctionName, result: WitResult<unknown>): unknown {
  if (!INFALLIBLE_HOST_FUNCTIONS.has(fn)) return result;
  // A function without `result` in WIT cannot say no: a refusal traps the guest, saying why.
  if (result.tag === 'err') throw new Error(String(result.val));
  return result.val;
}

/**
 * `log-info` -> `logInfo`. Plugins are transpiled with jco's hybrid import bindings
 * (PLUGIN_TRANSPILE_OPTIONS), which take each host function's core function from
 * `[Symbol.for('cabiLower')]` (host-abi.ts): one that asks the page and suspends the guest until
 * it answers, or for logs one that sends and returns at once, so the guest keeps running. jco's
 * own JS path for these imports is never taken; called anyway, it says so.
 */
function hostImports(host: HostPortApi, logs: LogChannel): Record<string, unknown> {
  const entries = HOST_FUNCTIONS.map((fn) => {
    const answer = FIRE_AND_FORGET_HOST_FUNCTIONS.has(fn)
      ? (args: unknown[]): void => logs.send(fn, args)
      : async (args: unknown[]): Promise<unknown> => answerOf(fn, await host.call(fn, args));
    const unlowered = () => {
      throw new Error(`${fn} was called through bindings transpiled without hybrid import bindings`);
    };
    return [importName(fn), Object.assign(unlowered, { [CABI_LOWER]: (mem: GuestMemory) => coreImport(fn, mem, answer) })] as const;
  });
  return Object.fromEntries(entries);
}

type ComponentProfile = ComponentStart['profile'];

function profileImports(profile: ComponentProfile, host: HostPortApi, logs: LogChannel): Record<string, unknown> {
  return profile === 'playground'
    ? { [HOST_INTERFACE]: hostImports(host, logs) }
    : // A world-level function import arrives as the default export of its own module.
      { publish: { default: (event: unknown) => void host.publish(event) } };
}

function guestOf(profile: ComponentProfile, exports: Record<string, unknown>): Guest | undefined {
  if (profile === 'playground') return exports[GUEST_EXPORT] as Guest | undefined;
  const { getInfo, onEvent } = exports as { getInfo?: () => PluginInfo; onEvent?: (event: unknown) => void };
  return getInfo && onEvent ? { metadata: getInfo, onEvent } : undefined;
}

/** A guest `err` arrives as a thrown ComponentError carrying `payload`; anything else is a trap. */
function isGuestError(e: unknown): e is { payload: unknown } {
  return typeof e === 'object' && e !== null && 'payload' in e;
}

export class ComponentRuntime implements GuestRuntime {
  private constructor(
    private readonly guest: Guest,
    private readonly logs: LogChannel,
    readonly meter: FuelMeter,
    /** For metadata(), which has no budget of its own: the one it started with. */
    private readonly startFuel: number,
    readonly loadMs: number,
    readonly waitMs: number,
  ) {}

  /**
   * `code` may still be on its way: the bindings are imported and run up to their first wait
   * for a core module while the page compiles the modules.
   */
  static async start(
    profile: ComponentProfile,
    code: { bindings: Promise<GeneratedBindings>; modules: Promise<Record<string, WebAssembly.Module>> },
    host: HostPortApi,
    /** `jcoExport`: events through jco's generated export even where the core function is found (the bench's comparison). */
    { logPort, fuel, jcoExport = false }: { logPort: MessagePort; fuel: number; jcoExport?: boolean },
  ): Promise<ComponentRuntime> {
    const began = performance.now();
    const bindings = await code.bindings;
    const loadMs = performance.now() - began;
    const logs = new LogChannel(logPort);
    const imports = {
      ...wasiImports((out) => void host.output(out)),
      ...profileImports(profile, host, logs),
    };
    // The page compiled every core module once (with its memory capped); none is compiled here.
    // The bindings ask for them all at once, then wait for the first they instantiate.
    // Waiting is timed from when the bindings' synchronous setup ends (the microtask after it).
    let waitMs = 0;
    let asked = false;
    const getCoreModule = (name: string) => {
      if (!asked) {
        asked = true;
        queueMicrotask(() => {
          const idle = performance.now();
          code.modules.then(
            () => (waitMs = performance.now() - idle),
            () => {},
          );
        });
      }
      return code.modules.then((modules) => modules[name] ?? Promise.reject(new Error(`the transpiled bindings have no core module ${name}`)));
    };
    const meter = new FuelMeter();
    const cores: CoreInstance[] = [];
    const instantiateCore: InstantiateCore = async (module, moduleImports) => {
      const given = { ...moduleImports, ...meter.imports };
      const instance = await WebAssembly.instantiate(module, given);
      cores.push({ instance, imports: given });
      return instance;
    };
    // The component's own init code runs counted too.
    const instantiated = await metered(meter, fuel, () => bindings.instantiate(getCoreModule, imports, instantiateCore));
    if (!instantiated.ok) throw instantiated.error;
    const guest = guestOf(profile, instantiated.value);
    if (!guest || typeof guest.onEvent !== 'function' || typeof guest.metadata !== 'function') {
      throw new Error(`the component does not export what the ${profile} profile calls`);
    }
    // Events go straight to the core function where it can be found (guest-abi.ts); Hydrust's exports stay jco's.
    const onEvent = profile === 'playground' && !jcoExport ? coreOnEvent(cores) : undefined;
    return new ComponentRuntime(onEvent ? { metadata: () => guest.metadata(), onEvent } : guest, logs, meter, fuel, loadMs, waitMs);
  }

  async metadata(): Promise<PluginInfo> {
    const call = await metered(this.meter, this.startFuel, () => this.guest.metadata());
    if (!call.ok) throw call.error;
    return call.value;
  }

  async onEvent(event: WorkerEvent, fuel: number): Promise<EventReply> {
    if (event.kind !== 'component') throw new Error('a component was sent a SoundTime event');
    const call = await metered(this.meter, fuel, () => this.guest.onEvent(event.value));
    let result: WitResult<null> = { tag: 'ok', val: null };
    if (!call.ok) {
      if (!isGuestError(call.error)) {
        await this.logs.flush();
        throw asTrap(call.error, call.fuel);
      }
      result = { tag: 'err', val: String(call.error.payload) };
    }
    return { result, logLines: this.logs.sent, fuel: call.ok ? call.fuel : call.fuel.used };
  }
}
