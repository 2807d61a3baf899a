// Build 1 of the plugin "rebuilt": counts events in its config and logs each one. Build 2
// (../rebuild-v2) logs differently and makes one more host call, so a reload and a replay of
// one against the other have something to show.
import { getConfig, logInfo, setConfig } from 'playground:plugin/host@0.1.0';
import type { Event, PluginInfo } from 'playground:plugin/types@0.1.0';

export const guest = {
  metadata(): PluginInfo {
    return { name: 'rebuilt', version: '0.1.0', author: 'Plugin Playground', description: 'Counts the events it receives (build 1).' };
  },

  onEvent(event: Event): void {
    const seen = Number(getConfig('seen') ?? '0') + 1;
    setConfig('seen', String(seen));
    logInfo(`v1 saw ${event.tag} #${seen}`);
  },
};
