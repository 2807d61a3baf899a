// The SoundTime runtime, page side: Extism core modules as SoundTime loads them. A module that
// imports `extism:host/*` or exports `handle_on_*` is one; each subscribed event calls its
// `handle_<event>` with the payload as JSON; what its output asks (`host_requests`) is applied
// here after the call, each request checked and traced like a host call. The module is
// instrumented to count fuel in the compile worker (cached), then capped and compiled here. The
// worker side is src/worker/runtimes/soundtime.ts.
import { EVENT_NAMES, type EventName, type MediaEvent } from '../../shared/events.ts';
import { MAX_HOST_REQUESTS_PER_CALL } from '../../shared/limits.ts';
import type { Manifest } from '../../shared/manifest.ts';
import type { EventReply, HostFunctionName, PluginInfo, WitResult, WorkerEvent } from '../../shared/protocol.ts';
import type { TraceInput } from '../../shared/trace-types.ts';
import { AbiError, hostRequestCall, SOUNDTIME_FUNCTIONS } from '../../shared/soundtime-abi.ts';
import { soundTimeMemoryShare } from '../../shared/memory-share.ts';
import { capMemory, WASM_PAGE_BYTES } from '../../shared/wasm-memory.ts';
import { MODULE_FILE, type Compiler } from '../compiler.ts';
import { InstallError } from '../install-error.ts';
import { ModuleCache } from './module-cache.ts';
import type { HostRuntime, Inspected, Loaded, RuntimeContext, RuntimePlugin, WasmFile } from './types.ts';

/** The kernel functions Extism's SDK provides under `extism:host/env` (its PDKs import these). */
const EXTISM_KERNEL = new Set([
  'alloc', 'free', 'length', 'length_unsafe', 'load_u8', 'load_u64', 'store_u8', 'store_u64',
  'input_length', 'input_load_u8', 'input_load_u64', 'input_offset', 'output_set', 'error_set', 'error_get',
  'config_get', 'var_get', 'var_set', 'http_request', 'http_status_code', 'http_headers',
  'log_info', 'log_warn', 'log_error', 'log_debug', 'log_trace', 'get_log_level', 'reset',
]); // prettier-ignore

/** WASI, which Extism's browser shim serves (clocks, random; no files, no sockets). */
const WASI_MODULES = new Set(['wasi_snapshot_preview1', 'wasi_unstable']);

const HANDLER = /^handle_on_[a-z_]+$/;

export interface SoundTimeDeps {
  hostCall(pluginId: string, fn: HostFunctionName, args: unknown[]): Promise<WitResult<unknown>>;
  trace(input: TraceInput): void;
}

function refusedImport(entry: WebAssembly.ModuleImportDescriptor): string | undefined {
  const name = `${entry.module}.${entry.name}`;
  if (entry.kind !== 'function') return `${name} (a ${entry.kind}; only functions are imported)`;
  if (entry.module === 'extism:host/user') return Object.hasOwn(SOUNDTIME_FUNCTIONS, entry.name) ? undefined : `${name} (not a SoundTime host function)`;
  if (entry.module === 'extism:host/env') return EXTISM_KERNEL.has(entry.name) ? undefined : `${name} (not part of Extism's kernel)`;
  if (WASI_MODULES.has(entry.module)) return undefined;
  if (entry.module === 'env' && entry.name === 'abort') return undefined;
  return name;
}

/** The payload as SoundTime's backend sends it: the guide's fields and the backend's, together. */
export function soundTimePayload(event: MediaEvent): Record<string, unknown> {
  switch (event.name) {
    case 'on_track_added':
      return { ...event.payload, album: event.payload.album ?? null };
    case 'on_peer_connected':
      return { peer_id: event.payload.peer_id, domain: event.payload.domain ?? null, track_count: 0 };
    case 'on_plugin_event': {
      let data: unknown = event.payload.payload;
      try {
        data = JSON.parse(event.payload.payload);
      } catch {
        // Not JSON: the text itself is the value.
      }
      const { source_plugin, event_name } = event.payload;
      return { source_plugin, event_name, payload: data, event_type: event_name, data };
    }
    default:
      return event.payload;
  }
}

export class SoundTimeHostRuntime implements HostRuntime {
  readonly kind = 'soundtime';
  private readonly modules = new ModuleCache<WebAssembly.Module>();
  /** The upload's bytes compiled as they are: recognising and inspecting read the same module. */
  private readonly uploaded = new WeakMap<Uint8Array, Promise<WebAssembly.Module>>();

  constructor(
    private readonly deps: SoundTimeDeps,
    private readonly compiler: Compiler,
  ) {}

  private compiled(bytes: Uint8Array): Promise<WebAssembly.Module> {
    let module = this.uploaded.get(bytes);
    if (!module) this.uploaded.set(bytes, (module = WebAssembly.compile(bytes as BufferSource)));
    return module;
  }

  async recognises(kind: string, bytes: Uint8Array): Promise<boolean> {
    if (kind !== 'core-module') return false;
    let module: WebAssembly.Module;
    try {
      module = await this.compiled(bytes);
    } catch {
      return false;
    }
    return (
      WebAssembly.Module.imports(module).some((entry) => entry.module.startsWith('extism:host/')) ||
      WebAssembly.Module.exports(module).some((entry) => entry.kind === 'function' && HANDLER.test(entry.name))
    );
  }

  async inspect(file: WasmFile): Promise<Inspected> {
    let module: WebAssembly.Module;
    try {
      module = await this.compiled(file.bytes);
    } catch (e) {
      throw new InstallError(`"${file.name}" could not be compiled (${e instanceof Error ? e.message : String(e)}). The file may be damaged: build it again.`);
    }
    const imports = WebAssembly.Module.imports(module);
    const exports = WebAssembly.Module.exports(module).filter((entry) => entry.kind === 'function');
    const refused = imports.map(refusedImport).filter((problem): problem is string => problem !== undefined);
    if (refused.length > 0) {
      throw new InstallError(
        `"${file.name}" is a SoundTime plugin, but it imports what the playground does not provide: ${refused.join(', ')}. ` +
          `SoundTime plugins may import Extism's kernel (extism:host/env), WASI and the SoundTime host functions (extism:host/user).`,
      );
    }
    const handlers = exports.filter((entry) => HANDLER.test(entry.name));
    if (handlers.length === 0) {
      throw new InstallError(
        `"${file.name}" is an Extism module but exports no event handler: SoundTime calls handle_<event> (for example handle_on_track_added). ` +
          `Export at least one.`,
      );
    }
    // Instrumented now (and cached), so a module that cannot count fuel is refused at install,
    // and the first start does not wait for it.
    let instrumentMs: number | undefined;
    try {
      const { entry, cached } = await this.compiler.instrumentModule(file.sha256, file.bytes);
      if (!cached) instrumentMs = entry.instrumentMs;
    } catch (e) {
      throw new InstallError(`"${file.name}" ${e instanceof Error ? e.message.replace(/^The core module \S+ /, '') : String(e)}`);
    }
    const wit = [
      `// SoundTime plugin: an Extism core module (${file.bytes.length} bytes)`,
      '// imports',
      ...imports.map((entry) => `import ${entry.module}.${entry.name}`),
      '// exports',
      ...exports.map((entry) => `export ${entry.name}`),
    ].join('\n');
    return {
      profile: 'soundtime',
      wit,
      imports: imports.map((entry) => `${entry.module}.${entry.name}`),
      exports: exports.map((entry) => entry.name),
      instrumentMs,
    };
  }

  async info(file: WasmFile): Promise<PluginInfo> {
    const base = file.name.replace(/\.wasm$/i, '');
    return { name: base, version: '0.1.0', author: '', description: `SoundTime plugin from ${file.name}.` };
  }

  draftEvents(inspected: Inspected): EventName[] {
    return EVENT_NAMES.filter((event) => inspected.exports.includes(`handle_${event}`));
  }

  warnings(manifest: Manifest, exports: readonly string[]): string[] {
    return manifest.permissions.events
      .filter((event) => !exports.includes(`handle_${event}`))
      .map((event) => `permissions.events subscribes to ${event}, but the module exports no handle_${event}: that event will not reach it.`);
  }

  async load(plugin: RuntimePlugin, memoryCapBytes: number): Promise<Loaded> {
    // A restart finds the compiled module in memory and reads nothing from the cache.
    const reused = {
      step: 'cache-hit',
      detail: `compiled module reused from memory (sha256 ${plugin.sha256.slice(0, 12)}…); nothing read or compiled`,
    } as const;
    // The module's memory and Extism's blocks share the cap.
    const { modulePages, blockPages } = soundTimeMemoryShare(memoryCapBytes);
    const { value: module, note } = await this.modules.noted(`${plugin.sha256}|${memoryCapBytes}`, reused, async () => {
      const { entry, cached } = await this.compiler.instrumentModule(plugin.sha256, plugin.bytes);
      const capped = capMemory(entry.transpiled.files[MODULE_FILE]!, modulePages * WASM_PAGE_BYTES);
      if (!capped.ok) throw new Error(capped.reason);
      return {
        value: await WebAssembly.compile(capped.bytes as BufferSource),
        note: cached
          ? { step: 'cache-hit', detail: `instrumented module loaded from the cache (sha256 ${plugin.sha256.slice(0, 12)}…); no instrumentation` }
          : {
              step: 'instrumented',
              detail: `instrumented to count fuel in the compile worker in ${(entry.instrumentMs ?? 0).toFixed(0)} ms`,
              durationMs: entry.instrumentMs,
            },
      };
    });
    return { start: { kind: 'soundtime', module, maxPages: blockPages, config: {} }, note };
  }

  workerEvent(plugin: RuntimePlugin, event: MediaEvent, context: RuntimeContext): (() => Promise<WorkerEvent>) | undefined {
    const handler = `handle_${event.name}`;
    if (!plugin.exports.includes(handler) || !(EVENT_NAMES as readonly string[]).includes(event.name)) return undefined;
    const input = JSON.stringify(soundTimePayload(event));
    // The config is read when the call's turn comes, so it includes what earlier calls wrote.
    return async () => ({ kind: 'soundtime', handler, input, config: await context.config(plugin.id) });
  }

  /** The backend's output protocol: each request applied in order, checked like a host call. */
  async afterCall(pluginId: string, reply: EventReply): Promise<void> {
    const { trace, hostCall } = this.deps;
    if (reply.outputProblem) trace({ kind: 'error', pluginId, message: reply.outputProblem });
    for (const request of reply.hostRequests ?? []) {
      let call;
      try {
        call = hostRequestCall(request);
      } catch (e) {
        if (!(e instanceof AbiError)) throw e;
        trace({ kind: 'host-request', pluginId, function: request.function, args: request.args, outcome: 'refused', reason: e.message });
        continue;
      }
      if (!call) {
        trace({
          kind: 'host-request',
          pluginId,
          function: request.function,
          args: request.args,
          outcome: 'ignored',
          reason: 'not a function the backend handles',
        });
        continue;
      }
      trace({ kind: 'host-request', pluginId, function: request.function, args: request.args, outcome: 'applied' });
      await hostCall(pluginId, call.fn, call.args);
    }
    if (reply.hostRequestsDropped) {
      trace({
        kind: 'error',
        pluginId,
        message: `${reply.hostRequestsDropped} host_requests were dropped: one call's output may carry at most ${MAX_HOST_REQUESTS_PER_CALL}`,
      });
    }
  }

  forget(sha256: string): void {
    this.modules.forget(`${sha256}|`);
  }
}
