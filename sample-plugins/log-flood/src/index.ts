// Misbehaving on purpose: writes 100,000 log lines for each added track. The trace must stay
// usable: lines past the per-call limit are dropped with a marker.
import { logInfo } from 'playground:plugin/host@0.1.0';
import type { Event, PluginInfo } from 'playground:plugin/types@0.1.0';

export const guest = {
  metadata(): PluginInfo {
    return { name: 'log-flood', version: '0.1.0', author: 'Plugin Playground', description: 'Misbehaving: logs 100,000 lines per added track.' };
  },
  onEvent(event: Event): void {
    if (event.tag !== 'track-added') return;
    for (let i = 1; i <= 100_000; i++) logInfo(`flood line ${i} for ${event.val.title}`);
  },
};
