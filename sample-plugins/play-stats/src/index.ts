// Counts plays per track and per user, and reports the most played track.
// Built with the StarlingMonkey engine to show that both JS engines run.
import { getConfig, getTrack, getUser, listUsers, logInfo, logWarn, searchTracks, setConfig } from 'playground:plugin/host@0.1.0';
import type { Event, PluginInfo } from 'playground:plugin/types@0.1.0';

function bump(key: string): number {
  const next = Number(getConfig(key) ?? '0') + 1;
  setConfig(key, String(next));
  return next;
}

function onTrackPlayed(trackId: string, userId: string): void {
  const track = getTrack(trackId);
  const plays = bump(`plays:${trackId}`);
  let who = userId;
  try {
    const user = getUser(userId);
    who = user.displayName ?? user.username;
  } catch (e) {
    logWarn(`cannot read user ${userId}: ${String((e as { payload?: unknown }).payload ?? e)}`);
  }
  logInfo(`${who} played "${track.title}" (${plays} plays counted here, ${track.playCount} in the library)`);

  const top = getConfig('top');
  const topPlays = top ? Number(getConfig(`plays:${top}`) ?? '0') : 0;
  if (plays > topPlays) {
    setConfig('top', trackId);
    logInfo(`new most played track: "${track.title}"`);
  }
}

export const guest = {
  metadata(): PluginInfo {
    return {
      name: 'play-stats',
      version: '0.1.0',
      author: 'Plugin Playground',
      description: 'Counts plays per track and reports the most played one (StarlingMonkey engine).',
    };
  },

  onEvent(event: Event): void {
    switch (event.tag) {
      case 'track-played':
        onTrackPlayed(event.val.trackId, event.val.userId);
        break;
      case 'library-scan-complete': {
        const all = searchTracks('', 1, 1);
        const users = listUsers(1, 100);
        logInfo(`library has ${all.total} tracks and ${users.length} users`);
        break;
      }
      default:
        break;
    }
  },
};
