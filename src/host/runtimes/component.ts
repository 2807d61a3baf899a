// The component runtime, page side: jco components of the playground world or Hydrust's.
// Transpiled and instrumented to count fuel in the compile worker (cached by SHA-256), matched
// against a profile's world, their core modules capped and compiled once here; the worker side is src/worker/runtimes/component.ts.
import { checkCompatibility } from '../../shared/contract.ts';
import { EVENT_NAMES, toWitEvent, type EventName, type MediaEvent } from '../../shared/events.ts';
import type { ComponentStart, PluginInfo, WorkerEvent } from '../../shared/protocol.ts';
import { capModuleMemories } from '../../shared/memory-share.ts';
import type { Compiler, CoreModule } from '../compiler.ts';
import { InstallError } from '../install-error.ts';
import { ModuleCache } from './module-cache.ts';
import type { EarlyStarter, HostRuntime, Inspected, Loaded, RuntimePlugin } from './types.ts';

type Modules = ComponentStart['modules'];

/**
 * Caps the memories of a component's core modules (their heads hold all the cap rewrites) and
 * compiles them; a big module whose rest is still a stored Blob is streamed into the compiler,
 * so its code is never copied into the page's memory.
 */
async function compileCapped(modules: Record<string, CoreModule>, memoryCapBytes: number): Promise<Modules> {
  const heads = capModuleMemories(Object.fromEntries(Object.entries(modules).map(([name, { head }]) => [name, head])), memoryCapBytes);
  const compiled = Object.entries(modules).map(async ([name, { rest }]) => {
    const head = heads[name]!;
    const module = rest
      ? await WebAssembly.compileStreaming(new Response(new Blob([head as BlobPart, rest]), { headers: { 'content-type': 'application/wasm' } }))
      : await WebAssembly.compile(head as BufferSource);
    return [name, module] as const;
  });
  return Object.fromEntries(await Promise.all(compiled));
}

export class ComponentHostRuntime implements HostRuntime {
  readonly kind = 'component';
  private readonly modules = new ModuleCache<{ bindings: Blob; modules: Modules }>();

  constructor(private readonly compiler: Compiler) {}

  async recognises(kind: string): Promise<boolean> {
    return kind === 'component';
  }

  async inspect(file: { name: string; sha256: string; bytes: Uint8Array }): Promise<Inspected> {
    const compiled = await this.compiler.compileParts(file.sha256, file.bytes);
    const { transpiled, wit } = compiled.entry;
    const compat = checkCompatibility(wit);
    if (!compat.ok || !compat.profile) {
      throw new InstallError(compat.message!, { unsatisfied: compat.unsatisfied, missing: compat.missing, wit });
    }
    return {
      profile: compat.profile,
      wit,
      imports: transpiled.imports,
      exports: transpiled.exports.map(([name]) => name),
      transpileMs: compiled.cached ? undefined : compiled.entry.transpileMs,
      instrumentMs: compiled.cached ? undefined : compiled.entry.instrumentMs,
    };
  }

  info(_file: unknown, _inspected: Inspected, probe: () => Promise<PluginInfo>): Promise<PluginInfo> {
    return probe();
  }

  warnings(): string[] {
    return [];
  }

  draftEvents(inspected: Inspected): EventName[] {
    // Hydrust providers take their own core events, not media events.
    return inspected.profile === 'playground' ? [...EVENT_NAMES] : [];
  }

  async load(plugin: RuntimePlugin, memoryCapBytes: number, early?: EarlyStarter): Promise<Loaded> {
    const { profile } = plugin;
    if (profile !== 'playground' && profile !== 'hydrust') throw new Error(`${plugin.id} is not a component plugin`);
    // A restart (after a trap, a kill, a disable) finds the compiled modules in memory and reads
    // nothing from the transpile cache.
    const reused = {
      step: 'cache-hit',
      detail: `compiled core modules reused from memory (sha256 ${plugin.sha256.slice(0, 12)}…); nothing read or compiled`,
    } as const;
    const { value, note } = await this.modules.noted(`${plugin.sha256}|${memoryCapBytes}`, reused, async () => {
      const { entry, scripts, modules, cached } = await this.compiler.compileParts(plugin.sha256, plugin.bytes, (js) => {
        const [first] = Object.values(js);
        if (first) early?.({ kind: 'component', profile, bindings: first });
      });
      const [bindings] = Object.values(scripts);
      if (!bindings) throw new Error('the transpiler produced no JavaScript bindings');
      return {
        value: { bindings, modules: await compileCapped(modules, memoryCapBytes) },
        note: cached
          ? { step: 'cache-hit', detail: `transpiled output loaded from the cache (sha256 ${plugin.sha256.slice(0, 12)}…); no transpilation` }
          : {
              step: 'transpiled',
              detail: `transpiled in the compile worker in ${entry.transpileMs.toFixed(0)} ms, instrumented to count fuel in ${(entry.instrumentMs ?? 0).toFixed(0)} ms`,
              durationMs: entry.transpileMs + (entry.instrumentMs ?? 0),
            },
      };
    });
    return { start: { kind: 'component', profile, ...value }, note };
  }

  workerEvent(plugin: RuntimePlugin, event: MediaEvent): WorkerEvent | undefined {
    // Hydrust providers take their own core events (see the dispatcher), not media events.
    // Nothing is read at delivery time, so the event is made now: its delivery waits for nothing.
    return plugin.profile === 'playground' ? { kind: 'component', value: toWitEvent(event) } : undefined;
  }

  forget(sha256: string): void {
    this.modules.forget(`${sha256}|`);
  }
}
