// Misbehaving on purpose: spins forever when a track is played. The watchdog must kill it,
// and the next event must find a fresh worker. Other events it handles normally.
import { logInfo } from 'playground:plugin/host@0.1.0';
import type { Event, PluginInfo } from 'playground:plugin/types@0.1.0';

export const guest = {
  metadata(): PluginInfo {
    return { name: 'spinner', version: '0.1.0', author: 'Plugin Playground', description: 'Misbehaving: loops forever on on_track_played.' };
  },
  onEvent(event: Event): void {
    if (event.tag === 'track-played') {
      logInfo('about to spin forever');
      for (;;);
    }
    logInfo(`handled ${event.tag} normally`);
  },
};
