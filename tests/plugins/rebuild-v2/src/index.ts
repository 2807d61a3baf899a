// Build 2 of the plugin "rebuilt" (see ../rebuild-v1): a different log line, and it asks the
// host for the instance's name as well.
import { getConfig, getInstanceInfo, logInfo, setConfig } from 'playground:plugin/host@0.1.0';
import type { Event, PluginInfo } from 'playground:plugin/types@0.1.0';

export const guest = {
  metadata(): PluginInfo {
    return { name: 'rebuilt', version: '0.2.0', author: 'Plugin Playground', description: 'Counts the events it receives (build 2).' };
  },

  onEvent(event: Event): void {
    const seen = Number(getConfig('seen') ?? '0') + 1;
    setConfig('seen', String(seen));
    logInfo(`v2 saw ${event.tag} #${seen} on ${getInstanceInfo().name}`);
  },
};
