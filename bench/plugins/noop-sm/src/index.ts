// Benchmark plugin: the cheapest possible handler on StarlingMonkey, so a call measures the host, not the guest.
import type { Event, PluginInfo } from 'playground:plugin/types@0.1.0';

export const guest = {
  metadata(): PluginInfo {
    return { name: 'bench-noop-sm', version: '0.1.0', author: 'Plugin Playground benchmarks', description: 'Handles every event by doing nothing.' };
  },
  onEvent(_event: Event): void {},
};
