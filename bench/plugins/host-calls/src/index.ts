// Benchmark plugin: on a plugin event named after a host function, calls that function as many
// times as the payload says, so the host can time one guest -> host -> guest round trip.
import { getConfig, getCurrentTimestamp } from 'playground:plugin/host@0.1.0';
import type { Event, PluginInfo } from 'playground:plugin/types@0.1.0';

const CALLS: Record<string, () => unknown> = {
  'get-config': () => getConfig('bench-key'),
  'get-current-timestamp': () => getCurrentTimestamp(),
};

export const guest = {
  metadata(): PluginInfo {
    return {
      name: 'bench-host-calls',
      version: '0.1.0',
      author: 'Plugin Playground benchmarks',
      description: 'Calls one host function as many times as a plugin event asks.',
    };
  },
  onEvent(event: Event): void {
    if (event.tag !== 'plugin-event') return;
    const call = CALLS[event.val.eventName];
    if (!call) throw new Error(`no host function ${event.val.eventName} to call`);
    const times = Number(event.val.payload);
    for (let i = 0; i < times; i++) call();
  },
};
