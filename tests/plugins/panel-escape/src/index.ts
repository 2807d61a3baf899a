// Test plugin: asks for nothing; logs what its panel reports, so the trace shows the panel was heard.
import { logInfo } from 'playground:plugin/host@0.1.0';
import type { Event, PluginInfo } from 'playground:plugin/types@0.1.0';

export const guest = {
  metadata(): PluginInfo {
    return {
      name: 'panel-escape',
      version: '0.1.0',
      author: 'tests',
      description: 'A plugin whose UI panel tries every way to send the track it is shown to a server.',
    };
  },
  onEvent(event: Event): void {
    if (event.tag === 'plugin-event' && event.val.sourcePlugin === 'ui') logInfo(`the panel says ${event.val.eventName}: ${event.val.payload}`);
  },
};
