// The simulated media server: user actions change the catalog and fire the matching events.
import type { MediaEvent } from '../shared/events.ts';
import type { Catalog } from './catalog.ts';
import type { Dispatcher } from './dispatcher.ts';

export class MediaServer {
  constructor(
    readonly catalog: Catalog,
    private readonly dispatcher: Dispatcher,
  ) {}

  private fire(event: MediaEvent): Promise<void> {
    return this.dispatcher.dispatch(event);
  }

  async addTrack(title: string, artistName: string, albumTitle?: string): Promise<void> {
    const track = await this.catalog.addTrack({ title, artistName, albumTitle: albumTitle || undefined });
    await this.fire({
      name: 'on_track_added',
      payload: { track_id: track.id, title: track.title, artist: track.artistName, album: track.albumTitle },
    });
  }

  async playTrack(trackId: string, userId: string): Promise<void> {
    const track = await this.catalog.track(trackId);
    if (!track) return;
    await this.catalog.updateTrack(trackId, { playCount: track.playCount + 1 });
    await this.fire({ name: 'on_track_played', payload: { track_id: trackId, user_id: userId, timestamp: new Date().toISOString() } });
  }

  async deleteTrack(trackId: string): Promise<void> {
    if (!(await this.catalog.deleteTrack(trackId))) return;
    await this.fire({ name: 'on_track_deleted', payload: { track_id: trackId } });
  }

  async registerUser(username: string, displayName?: string): Promise<void> {
    const user = await this.catalog.registerUser(username, displayName || undefined);
    await this.fire({ name: 'on_user_registered', payload: { user_id: user.id, username: user.username } });
  }

  async login(userId: string): Promise<void> {
    await this.fire({ name: 'on_user_login', payload: { user_id: userId, timestamp: new Date().toISOString() } });
  }

  async createPlaylist(userId: string, name: string): Promise<void> {
    const tracks = await this.catalog.tracks();
    const playlist = await this.catalog.createPlaylist(
      userId,
      name,
      tracks.slice(0, 3).map((t) => t.id),
    );
    await this.fire({ name: 'on_playlist_created', payload: { playlist_id: playlist.id, user_id: userId, name } });
  }

  async scanComplete(): Promise<void> {
    const count = (await this.catalog.counts()).tracks;
    await this.fire({
      name: 'on_library_scan_complete',
      payload: { library_id: 'lib-main', tracks_added: count, tracks_removed: 0 },
    });
  }

  async peerConnected(peerId: string, domain?: string): Promise<void> {
    await this.fire({ name: 'on_peer_connected', payload: { peer_id: peerId, domain: domain || undefined } });
  }

  async peerDisconnected(peerId: string): Promise<void> {
    await this.fire({ name: 'on_peer_disconnected', payload: { peer_id: peerId } });
  }
}
