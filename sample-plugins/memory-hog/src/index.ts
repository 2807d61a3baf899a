// Misbehaving on purpose: allocates without end when a track is played. The memory cap must
// make the allocation fail inside this plugin's own call; the tab stays healthy.
import { logInfo } from 'playground:plugin/host@0.1.0';
import type { Event, PluginInfo } from 'playground:plugin/types@0.1.0';

export const guest = {
  metadata(): PluginInfo {
    return { name: 'memory-hog', version: '0.1.0', author: 'Plugin Playground', description: 'Misbehaving: allocates forever on on_track_played.' };
  },
  onEvent(event: Event): void {
    if (event.tag === 'track-played') {
      logInfo('allocating until something gives');
      const hoard: string[] = [];
      for (let i = 0; ; i++) hoard.push(`${i}`.repeat(4096));
    }
    logInfo(`handled ${event.tag} normally`);
  },
};
