// SoundTime's ListenBrainz Scrobbler: submits each play to ListenBrainz with the api_token
// from the plugin's config, and warns when the token is missing.
import { getConfig, getTrack, httpPost, logInfo, logWarn } from 'playground:plugin/host@0.1.0';
import type { Event, PluginInfo } from 'playground:plugin/types@0.1.0';

export const guest = {
  metadata(): PluginInfo {
    return { name: 'listenbrainz-scrobbler', version: '0.1.0', author: 'SoundTime Community', description: 'Submits listens to ListenBrainz.' };
  },
  onEvent(event: Event): void {
    if (event.tag !== 'track-played') return;
    const token = getConfig('api_token');
    if (!token) {
      logWarn("api_token is not configured: set it in this plugin's config to scrobble");
      return;
    }
    const track = getTrack(event.val.trackId);
    const listenedAt = Math.floor(Date.parse(event.val.timestamp) / 1000);
    const body = JSON.stringify({
      listen_type: 'single',
      payload: [
        {
          listened_at: listenedAt,
          track_metadata: { artist_name: track.artistName, track_name: track.title, release_name: track.albumTitle },
        },
      ],
    });
    const response = httpPost('https://api.listenbrainz.org/1/submit-listens', body, [
      ['authorization', `Token ${token}`],
      ['content-type', 'application/json'],
    ]);
    logInfo(`scrobbled "${track.title}": HTTP ${response.status}`);
  },
};
