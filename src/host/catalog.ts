// The simulated media server's library: tracks, users and playlists in IndexedDB.
// Changes (from the UI, from plugins' host calls, or from another tab of the playground) are
// announced with a `change` event.
import { CATALOG_NOTICE_MS, MAX_TRACK_EXTRA_FIELDS, MAX_TRACK_FIELD_CHARS, MAX_TRACK_LYRICS_CHARS } from '../shared/limits.ts';
import type { PlaygroundDB } from './db.ts';
import type { Playlist, Track, User } from './catalog-data.ts';

export type TrackPatch = Partial<Omit<Track, 'id' | 'extra' | 'addedAt'>> & { extra?: Record<string, string> };

/** Why a patch would make a track bigger than a track may be; undefined when it fits. */
export function trackPatchProblem(current: Track, patch: TrackPatch): string | undefined {
  const fields: Array<[string, unknown]> = [...Object.entries(patch).filter(([name]) => name !== 'extra'), ...Object.entries(patch.extra ?? {})];
  for (const [name, value] of fields) {
    if (typeof value !== 'string') continue;
    const max = name === 'lyrics' ? MAX_TRACK_LYRICS_CHARS : MAX_TRACK_FIELD_CHARS;
    if (value.length > max) return `${name} is ${value.length} characters; a track keeps at most ${max}`;
  }
  const extra = new Set([...Object.keys(current.extra), ...Object.keys(patch.extra ?? {})]).size;
  if (extra > MAX_TRACK_EXTRA_FIELDS) return `the track would have ${extra} extra metadata fields; it may have at most ${MAX_TRACK_EXTRA_FIELDS}`;
  return undefined;
}

function newId(prefix: string): string {
  return `${prefix}-${crypto.randomUUID().slice(0, 8)}`;
}

type Counts = { tracks: number; users: number };

export class Catalog extends EventTarget {
  /**
   * The library's sizes as last counted. `get-instance-info` asks for them on a plugin's hot
   * path, and two IndexedDB counts cost far more than the call itself; any change forgets them.
   */
  private counted?: Promise<Counts>;
  /** Other tabs of the playground write the same database: each tells the others that something changed. */
  private readonly tabs = typeof BroadcastChannel === 'function' ? new BroadcastChannel('plugin-playground:catalog') : undefined;
  /** When the other tabs were last told (see CATALOG_NOTICE_MS), and the notice waiting to go. */
  private noticedAt = -Infinity;
  private notice?: ReturnType<typeof setTimeout>;

  constructor(private readonly db: PlaygroundDB) {
    super();
    this.tabs?.addEventListener('message', () => {
      this.counted = undefined;
      this.dispatchEvent(new Event('change'));
    });
  }

  private changed(): void {
    this.counted = undefined;
    this.tellTabs();
    this.dispatchEvent(new Event('change'));
  }

  /** Stops hearing from and telling other tabs (a notice still waiting is dropped). */
  close(): void {
    clearTimeout(this.notice);
    this.tabs?.close();
  }

  /** At once, unless the tabs were told within CATALOG_NOTICE_MS; then once that has passed. */
  private tellTabs(): void {
    if (!this.tabs || this.notice) return;
    const tell = () => {
      this.notice = undefined;
      this.noticedAt = performance.now();
      this.tabs!.postMessage('change');
    };
    const wait = this.noticedAt + CATALOG_NOTICE_MS - performance.now();
    if (wait <= 0) tell();
    else this.notice = setTimeout(tell, wait);
  }

  async tracks(): Promise<Track[]> {
    const all = await this.db.getAll('tracks');
    return all.sort((a, b) => a.addedAt - b.addedAt || a.id.localeCompare(b.id, 'en', { numeric: true }));
  }

  track(id: string): Promise<Track | undefined> {
    return this.db.get('tracks', id);
  }

  async searchTracks(query: string): Promise<Track[]> {
    const needle = query.trim().toLowerCase();
    const all = await this.tracks();
    if (!needle) return all;
    return all.filter((t) => [t.title, t.artistName, t.albumTitle ?? '', t.genre ?? ''].some((field) => field.toLowerCase().includes(needle)));
  }

  async addTrack(input: Pick<Track, 'title' | 'artistName'> & Partial<Track>): Promise<Track> {
    const track: Track = {
      durationSecs: 180,
      format: 'mp3',
      playCount: 0,
      ...input,
      id: newId('trk'),
      extra: {},
      addedAt: Date.now(),
    };
    await this.db.put('tracks', track);
    this.changed();
    return track;
  }

  /** Puts a track under this id into the library unless one is there (the track a scenario's step adds). */
  async ensureTrack(id: string, input: Pick<Track, 'title' | 'artistName'> & Partial<Track>): Promise<void> {
    if (await this.track(id)) return;
    await this.db.put('tracks', { durationSecs: 180, format: 'mp3', playCount: 0, ...input, id, extra: {}, addedAt: Date.now() });
    this.changed();
  }

  /** Applies a patch inside one transaction; resolves to the updated track, or undefined if it is gone. */
  async updateTrack(id: string, patch: TrackPatch): Promise<Track | undefined> {
    const tx = this.db.transaction('tracks', 'readwrite');
    const current = await tx.store.get(id);
    if (!current) {
      await tx.done;
      return undefined;
    }
    const problem = trackPatchProblem(current, patch);
    if (problem) {
      await tx.done;
      throw new RangeError(problem);
    }
    const updated: Track = { ...current, ...patch, extra: { ...current.extra, ...patch.extra } };
    await tx.store.put(updated);
    await tx.done;
    this.changed();
    return updated;
  }

  async deleteTrack(id: string): Promise<Track | undefined> {
    const track = await this.track(id);
    if (!track) return undefined;
    await this.db.delete('tracks', id);
    this.changed();
    return track;
  }

  async users(): Promise<User[]> {
    const all = await this.db.getAll('users');
    return all.sort((a, b) => a.id.localeCompare(b.id, 'en', { numeric: true }));
  }

  user(id: string): Promise<User | undefined> {
    return this.db.get('users', id);
  }

  async registerUser(username: string, displayName?: string): Promise<User> {
    const user: User = {
      id: newId('usr'),
      username,
      displayName,
      role: 'user',
      createdAt: new Date().toISOString(),
      passwordHash: `$argon2id$v=19$${crypto.randomUUID()}`,
    };
    await this.db.put('users', user);
    this.changed();
    return user;
  }

  async createPlaylist(userId: string, name: string, trackIds: string[]): Promise<Playlist> {
    const playlist: Playlist = { id: newId('pl'), userId, name, trackIds, createdAt: new Date().toISOString() };
    await this.db.put('playlists', playlist);
    this.changed();
    return playlist;
  }

  async playlists(): Promise<Playlist[]> {
    return this.db.getAll('playlists');
  }

  counts(): Promise<Counts> {
    if (!this.counted) {
      const counting = Promise.all([this.db.count('tracks'), this.db.count('users')]).then(([tracks, users]) => ({ tracks, users }));
      // A failed count is not remembered: the next one tries again.
      counting.catch(() => {
        if (this.counted === counting) this.counted = undefined;
      });
      this.counted = counting;
    }
    return this.counted;
  }
}
