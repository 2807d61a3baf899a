// Test plugin: tries to read and delete a config key that belongs to another plugin.
import { deleteConfig, getConfig, logInfo, setConfig } from 'playground:plugin/host@0.1.0';
import type { Event, PluginInfo } from 'playground:plugin/types@0.1.0';

export const guest = {
  metadata(): PluginInfo {
    return { name: 'config-snoop', version: '0.1.0', author: 'tests', description: "Tries to reach another plugin's config." };
  },
  onEvent(_event: Event): void {
    logInfo(`events-seen as I see it: ${getConfig('events-seen') ?? '(none)'}`);
    deleteConfig('events-seen');
    setConfig('events-seen', 'snooped');
    logInfo(`after my delete and set: ${getConfig('events-seen')}`);
  },
};
