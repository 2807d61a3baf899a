// Calls every host function once for each track added, so the trace shows them all.
// A good starting point for exploring what a plugin can do.
import {
  deleteConfig,
  emitEvent,
  getConfig,
  getCurrentTimestamp,
  getInstanceInfo,
  getTrack,
  getUser,
  httpGet,
  listUsers,
  logError,
  logInfo,
  logWarn,
  searchTracks,
  setConfig,
  setTrackLyrics,
  setTrackMetadata,
} from 'playground:plugin/host@0.1.0';
import type { Event, PluginInfo } from 'playground:plugin/types@0.1.0';

/** A host `err` reaches a JS guest as a thrown error carrying the host's message as `payload`. */
function hostError(e: unknown): string {
  return String((e as { payload?: unknown }).payload ?? e);
}

function tour(trackId: string, title: string): void {
  const track = getTrack(trackId);
  const similar = searchTracks(track.artistName, 1, 5);
  logInfo(`"${track.title}" by ${track.artistName}; ${similar.total} tracks by that artist`);

  setTrackLyrics(trackId, `(placeholder lyrics for "${title}", written by host-tour)`);
  setTrackMetadata(trackId, [
    ['mood', 'curious'],
    ['tagged-by', 'host-tour'],
  ]);

  const users = listUsers(1, 10);
  const first = users[0];
  if (first) logInfo(`first user: ${getUser(first.id).username} (${users.length} listed)`);

  setConfig('last-track', trackId);
  setConfig('scratch', title);
  logInfo(`config round trip: ${getConfig('scratch')}`);
  deleteConfig('scratch');

  const instance = getInstanceInfo();
  logInfo(`${instance.name} ${instance.version} at ${instance.domain}: ${instance.trackCount} tracks, ${instance.userCount} users, ${getCurrentTimestamp()}`);

  try {
    // Not in its http_hosts: the host refuses before any request is made.
    httpGet('https://example.com/', []);
  } catch (e) {
    logWarn(`http-get refused: ${hostError(e)}`);
  }
  try {
    getTrack('no-such-track');
  } catch (e) {
    logError(`get-track of a missing id fails cleanly: ${hostError(e)}`);
  }
  emitEvent('tour-finished', JSON.stringify({ trackId }));
}

export const guest = {
  metadata(): PluginInfo {
    return {
      name: 'host-tour',
      version: '0.1.0',
      author: 'Plugin Playground',
      description: 'Calls every host function once for each added track, so the trace shows them all.',
    };
  },

  onEvent(event: Event): void {
    if (event.tag === 'track-added') tour(event.val.trackId, event.val.title);
  },
};
