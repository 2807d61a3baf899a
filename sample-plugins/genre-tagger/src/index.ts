// Sets a genre on newly added tracks from simple title and artist rules.
import { emitEvent, getTrack, logInfo, setTrackGenre } from 'playground:plugin/host@0.1.0';
import type { Event, PluginInfo } from 'playground:plugin/types@0.1.0';

const RULES: ReadonlyArray<readonly [RegExp, string]> = [
  [/\b(symphony|sonata|concerto|nocturne|prelude|requiem|op\.\s*\d+)\b/i, 'Classical'],
  [/\b(remix|club mix|house|techno|trance|dj)\b/i, 'Electronic'],
  [/\b(blues|delta)\b/i, 'Blues'],
  [/\b(jazz|swing|bebop|quartet|trio)\b/i, 'Jazz'],
  [/\b(rap|mc|lil|feat\.)\b/i, 'Hip-Hop'],
  [/\b(metal|doom|thrash)\b/i, 'Metal'],
  [/\b(folk|ballad|acoustic)\b/i, 'Folk'],
];

export function genreFor(title: string, artist: string): string | undefined {
  const text = `${title} ${artist}`;
  return RULES.find(([pattern]) => pattern.test(text))?.[1];
}

export const guest = {
  metadata(): PluginInfo {
    return {
      name: 'genre-tagger',
      version: '0.1.0',
      author: 'Plugin Playground',
      description: 'Sets a genre on new tracks from simple title and artist rules.',
    };
  },

  onEvent(event: Event): void {
    // Its panel (ui/panel.html) asks for a genre by hand.
    if (event.tag === 'plugin-event' && event.val.sourcePlugin === 'ui' && event.val.eventName === 'set-genre') {
      const { trackId, genre } = JSON.parse(event.val.payload) as { trackId: string; genre: string };
      setTrackGenre(trackId, genre);
      logInfo(`set ${genre} on ${trackId} from the panel`);
      return;
    }
    if (event.tag !== 'track-added') return;
    const { trackId, title, artist } = event.val;
    const track = getTrack(trackId);
    if (track.genre) {
      logInfo(`"${title}" already has genre ${track.genre}; leaving it`);
      return;
    }
    const genre = genreFor(title, artist);
    if (!genre) {
      logInfo(`no rule matched "${title}" by ${artist}`);
      return;
    }
    setTrackGenre(trackId, genre);
    logInfo(`tagged "${title}" by ${artist} as ${genre}`);
    emitEvent('genre-tagged', JSON.stringify({ trackId, genre }));
  },
};
