// Loading a plugin for its worker (the runtime compiles and caps it; the trace says whether the
// transpile cache had it) and reading metadata() in a throwaway worker at install, so nothing
// of a plugin runs before the user enables it. The plugin manager and the benchmarks use this.
import { METADATA_TIMEOUT_MS } from '../shared/limits.ts';
import type { PluginInfo, Profile, RuntimeStart } from '../shared/protocol.ts';
import type { TraceInput } from '../shared/trace-types.ts';
import type { CallBudget } from './bridge-types.ts';
import { PluginBridge } from './plugin-bridge.ts';
import type { Runtimes } from './runtimes/index.ts';
import type { EarlyStarter, RuntimePlugin } from './runtimes/types.ts';

export interface LoaderSettings {
  readonly memoryCapBytes: number;
  budgetFor(profile: Profile): CallBudget;
}

export class PluginLoader {
  constructor(
    readonly runtimes: Runtimes,
    private readonly settings: LoaderSettings,
    private readonly trace: (input: TraceInput) => void,
  ) {}

  /** What the plugin's worker starts with; `traced` says in the trace how it was loaded. */
  async load(plugin: RuntimePlugin, traced = true, early?: EarlyStarter): Promise<RuntimeStart> {
    const { start, note } = await this.runtimes.forProfile(plugin.profile).load(plugin, this.settings.memoryCapBytes, early);
    if (traced && note) this.trace({ kind: 'lifecycle', pluginId: plugin.id, ...note });
    return start;
  }

  /** Calls metadata()/get-info() in a throwaway worker that is stopped afterwards. */
  async probe(plugin: RuntimePlugin): Promise<PluginInfo> {
    const probe = new PluginBridge(`probe:${plugin.id}`, {
      load: (early) => this.load(plugin, false, early),
      hostCall: async () => ({ tag: 'err', val: 'host functions are not available while reading metadata' }),
      publish: () => {},
      trace: () => {},
      budget: () => this.settings.budgetFor(plugin.profile),
    });
    let timer: ReturnType<typeof setTimeout> | undefined;
    try {
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`metadata() did not return within ${METADATA_TIMEOUT_MS / 1000} s`)), METADATA_TIMEOUT_MS);
      });
      const info = await Promise.race([probe.metadata(), timeout]);
      if (!info.name?.trim()) throw new Error('metadata() returned an empty name');
      return info;
    } finally {
      clearTimeout(timer);
      probe.stop();
    }
  }
}
