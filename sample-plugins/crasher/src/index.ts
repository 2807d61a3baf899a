// Misbehaving on purpose: crashes when a track is played (stack overflow by unbounded
// recursion), throws on a deleted track. Its config must survive and a fresh instance serve
// the next event.
import { getConfig, logInfo, setConfig } from 'playground:plugin/host@0.1.0';
import type { Event, PluginInfo } from 'playground:plugin/types@0.1.0';

function dive(depth: number): number {
  return dive(depth + 1) + 1;
}

export const guest = {
  metadata(): PluginInfo {
    return {
      name: 'crasher',
      version: '0.1.0',
      author: 'Plugin Playground',
      description: 'Misbehaving: overflows its stack on on_track_played, throws on on_track_deleted.',
    };
  },
  onEvent(event: Event): void {
    const seen = Number(getConfig('events') ?? '0') + 1;
    setConfig('events', String(seen));
    if (event.tag === 'track-played') {
      logInfo('recursing without end');
      dive(0);
    }
    if (event.tag === 'track-deleted') throw new Error(`refusing to handle ${event.val.trackId}`);
    logInfo(`handled ${event.tag} (${seen} events so far)`);
  },
};
