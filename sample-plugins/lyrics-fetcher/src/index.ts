// SoundTime's Lyrics Fetcher: when a track is added, fetch its lyrics from lyrics.ovh and
// store them on the track.
import { httpGet, logInfo, logWarn, setTrackLyrics } from 'playground:plugin/host@0.1.0';
import type { Event, PluginInfo } from 'playground:plugin/types@0.1.0';

export const guest = {
  metadata(): PluginInfo {
    return { name: 'lyrics-fetcher', version: '0.1.0', author: 'SoundTime Community', description: 'Fetches lyrics from lyrics.ovh when tracks are added.' };
  },
  onEvent(event: Event): void {
    if (event.tag !== 'track-added') return;
    const { trackId, title, artist } = event.val;
    const url = `https://api.lyrics.ovh/v1/${encodeURIComponent(artist)}/${encodeURIComponent(title)}`;
    let response;
    try {
      response = httpGet(url, [['accept', 'application/json']]);
    } catch (e) {
      logWarn(`lyrics request failed: ${String((e as { payload?: unknown }).payload ?? e)}`);
      return;
    }
    if (response.status !== 200) {
      logInfo(`no lyrics for ${artist} - ${title} (HTTP ${response.status})`);
      return;
    }
    const lyrics = (JSON.parse(response.body) as { lyrics?: string }).lyrics;
    if (!lyrics) return;
    setTrackLyrics(trackId, lyrics);
    logInfo(`Lyrics found for: ${artist} - ${title}`);
  },
};
