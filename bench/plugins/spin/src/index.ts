// Benchmark plugin: never returns from a plugin event, so the watchdog has to kill it.
import type { Event, PluginInfo } from 'playground:plugin/types@0.1.0';

export const guest = {
  metadata(): PluginInfo {
    return {
      name: 'bench-spin',
      version: '0.1.0',
      author: 'Plugin Playground benchmarks',
      description: 'Spins on every plugin event until the watchdog kills it.',
    };
  },
  onEvent(event: Event): void {
    if (event.tag !== 'plugin-event') return;
    for (;;);
  },
};
