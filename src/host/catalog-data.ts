// The simulated media server's records and its demo data.

export interface Track {
  id: string;
  title: string;
  artistName: string;
  albumTitle?: string;
  durationSecs: number;
  genre?: string;
  year?: number;
  format: string;
  bitrate?: number;
  sampleRate?: number;
  playCount: number;
  lyrics?: string;
  /** Free-form fields set through `set-track-metadata` that have no column of their own. */
  extra: Record<string, string>;
  addedAt: number;
}

export interface User {
  id: string;
  username: string;
  displayName?: string;
  role: 'admin' | 'user';
  createdAt: string;
  /** Stands in for the secrets a real server keeps; never leaves the host. */
  passwordHash: string;
}

export interface Playlist {
  id: string;
  userId: string;
  name: string;
  trackIds: string[];
  createdAt: string;
}

type SeedTrack = Pick<Track, 'title' | 'artistName' | 'albumTitle' | 'durationSecs' | 'genre' | 'year' | 'format' | 'bitrate' | 'sampleRate'>;

const TRACKS: SeedTrack[] = [
  {
    title: 'Piano Sonata No. 14 "Moonlight"',
    artistName: 'Ludwig van Beethoven',
    albumTitle: 'Piano Sonatas',
    durationSecs: 901,
    year: 1801,
    format: 'flac',
    bitrate: 1411,
    sampleRate: 44100,
  },
  {
    title: 'Take Five',
    artistName: 'The Dave Brubeck Quartet',
    albumTitle: 'Time Out',
    durationSecs: 324,
    year: 1959,
    format: 'mp3',
    bitrate: 320,
    sampleRate: 44100,
  },
  {
    title: 'Cross Road Blues',
    artistName: 'Robert Johnson',
    albumTitle: 'King of the Delta Blues Singers',
    durationSecs: 159,
    year: 1936,
    format: 'ogg',
    bitrate: 192,
    sampleRate: 44100,
  },
  {
    title: 'Around the World',
    artistName: 'Daft Punk',
    albumTitle: 'Homework',
    durationSecs: 429,
    genre: 'Electronic',
    year: 1997,
    format: 'flac',
    bitrate: 1411,
    sampleRate: 44100,
  },
  {
    title: 'Bohemian Rhapsody',
    artistName: 'Queen',
    albumTitle: 'A Night at the Opera',
    durationSecs: 355,
    genre: 'Rock',
    year: 1975,
    format: 'mp3',
    bitrate: 320,
    sampleRate: 44100,
  },
  {
    title: 'Clair de lune',
    artistName: 'Claude Debussy',
    albumTitle: 'Suite bergamasque',
    durationSecs: 300,
    year: 1905,
    format: 'opus',
    bitrate: 160,
    sampleRate: 48000,
  },
];

const USERS: Array<Pick<User, 'username' | 'displayName' | 'role'>> = [
  { username: 'admin', displayName: 'Administrator', role: 'admin' },
  { username: 'alice', displayName: 'Alice Martin', role: 'user' },
  { username: 'bob', role: 'user' },
];

export function seedCatalog(now: number): { tracks: Track[]; users: User[] } {
  return {
    tracks: TRACKS.map((t, i) => ({ ...t, id: `trk-${i + 1}`, playCount: 0, extra: {}, addedAt: now })),
    users: USERS.map((u, i) => ({
      ...u,
      id: `usr-${i + 1}`,
      createdAt: new Date(now).toISOString(),
      passwordHash: `$argon2id$v=19$demo-${i + 1}`,
    })),
  };
}
