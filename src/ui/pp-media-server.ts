import { consume } from '@lit/context';
import { Task } from '@lit/task';
import { LitElement, css, html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import type { Playground } from '../host/playground.ts';
import { playgroundContext } from './context.ts';
import { ListenController } from './listen.ts';
import { shared } from './styles.ts';
import './pp-plugin-slot.ts';

function formValues(e: SubmitEvent): Record<string, string> {
  e.preventDefault();
  const form = e.target as HTMLFormElement;
  const values = Object.fromEntries([...new FormData(form)].map(([k, v]) => [k, String(v).trim()]));
  form.reset();
  return values;
}

function duration(secs: number): string {
  return `${Math.floor(secs / 60)}:${String(Math.round(secs % 60)).padStart(2, '0')}`;
}

/** The simulated media server: a library whose actions fire the plugin events. */
@customElement('pp-media-server')
export class PpMediaServer extends LitElement {
  static override styles = [
    shared,
    css`
      .grid {
        display: grid;
        grid-template-columns: minmax(0, 2fr) minmax(220px, 1fr);
        gap: 1rem;
      }
      @media (max-width: 1100px) {
        .grid {
          grid-template-columns: 1fr;
        }
      }
      table {
        width: 100%;
        border-collapse: collapse;
      }
      th {
        text-align: left;
        font-size: 0.75rem;
        color: var(--muted);
        font-weight: 600;
        padding: 0.3rem;
      }
      td {
        border-top: 1px solid var(--border);
        padding: 0.35rem 0.3rem;
        vertical-align: top;
      }
      td.num {
        text-align: right;
        font-variant-numeric: tabular-nums;
      }
      .lyrics {
        font-size: 0.8rem;
        color: var(--muted);
        white-space: pre-wrap;
        max-height: 4.5em;
        overflow: hidden;
      }
      form {
        display: flex;
        gap: 0.4rem;
        flex-wrap: wrap;
        margin-top: 0.6rem;
      }
      form input {
        flex: 1 1 8rem;
      }
      h4 {
        margin: 0.9rem 0 0.3rem;
        font-size: 0.85rem;
      }
      .genre {
        font-size: 0.75rem;
      }
      ul {
        list-style: none;
        padding: 0;
        margin: 0;
      }
      li {
        display: flex;
        justify-content: space-between;
        align-items: center;
        padding: 0.2rem 0;
        gap: 0.4rem;
      }
      .title-button {
        all: unset;
        cursor: pointer;
      }
      .title-button:focus-visible {
        outline: 2px solid var(--accent);
      }
      tr.selected td {
        background: color-mix(in srgb, var(--accent) 8%, transparent);
      }
      .player {
        display: flex;
        gap: 0.8rem;
        align-items: center;
        margin-bottom: 0.7rem;
        padding: 0.4rem 0.6rem;
        border: 1px solid var(--border);
        border-radius: 6px;
      }
      .player pp-plugin-slot {
        flex: 1;
      }
      .detail {
        margin-top: 0.9rem;
        border-top: 1px solid var(--border);
        padding-top: 0.6rem;
      }
    `,
  ];

  @consume({ context: playgroundContext, subscribe: true })
  playground?: Playground;

  @state() private revision = 0;
  @state() private currentUser = 'usr-2';
  @state() private selectedTrackId?: string;
  @state() private nowPlayingId?: string;

  private readonly _onChange = () => this.revision++;

  protected readonly subscription = new ListenController(this, () => this.playground?.catalog, ['change'], this._onChange);

  private library = new Task(this, {
    task: async () => {
      const { catalog } = this.playground!;
      const [tracks, users] = await Promise.all([catalog.tracks(), catalog.users()]);
      return { tracks, users };
    },
    args: () => [this.revision],
  });

  private get media() {
    return this.playground!.media;
  }

  override render() {
    return html`<section class="panel" aria-labelledby="media-title">
      <h2 id="media-title">Media server</h2>
      ${this.library.render({
        pending: () => (this.library.value ? this.renderLibrary(this.library.value) : html`<p class="muted">Loading library…</p>`),
        complete: (value) => this.renderLibrary(value),
        error: (e) => html`<p class="error-text">The library could not be read: ${String(e)}</p>`,
      })}
    </section>`;
  }

  private _onPlay(trackId: string): void {
    this.nowPlayingId = trackId;
    void this.media.playTrack(trackId, this.currentUser);
  }

  private renderLibrary({ tracks, users }: NonNullable<typeof this.library.value>) {
    const selected = tracks.find((t) => t.id === this.selectedTrackId);
    const playing = tracks.find((t) => t.id === this.nowPlayingId);
    return html`<div class="player" data-testid="player">
        <span
          >${playing ? html`▶ <strong>${playing.title}</strong> <span class="muted">${playing.artistName}</span>` : html`<span class="muted">Nothing playing</span>`}</span
        >
        <pp-plugin-slot name="player-extra-controls" .data=${{ track: playing ?? null }}></pp-plugin-slot>
      </div>
      <pp-plugin-slot name="library-toolbar" .data=${{ trackCount: tracks.length }}></pp-plugin-slot>
      <div class="grid">
        <div>
          <table data-testid="tracks">
            <thead>
              <tr>
                <th>Title</th>
                <th>Artist</th>
                <th>Genre</th>
                <th class="num">Plays</th>
                <th></th>
              </tr>
            </thead>
            <tbody>
              ${repeat(
                tracks,
                // Keyed, so a row stays its track's while the list changes under a click (a Play or
                // ✕ pressed as another tab or a plugin adds a track acts on the track it was on).
                (t) => t.id,
                (t) =>
                  html`<tr data-testid="track" data-track-id=${t.id} class=${t.id === this.selectedTrackId ? 'selected' : ''}>
                    <td>
                      <button class="title-button" data-testid="track-title" title="Show details" @click=${() => (this.selectedTrackId = t.id)}>
                        ${t.title}
                      </button>
                      <div class="muted" style="font-size:0.8rem">${[t.albumTitle, duration(t.durationSecs), t.format].filter(Boolean).join(' · ')}</div>
                      ${t.lyrics ? html`<div class="lyrics" data-testid="track-lyrics">${t.lyrics}</div>` : nothing}
                      ${
                        Object.keys(t.extra).length
                          ? html`<div class="muted" style="font-size:0.8rem" data-testid="track-extra">
                              ${Object.entries(t.extra)
                                .map(([k, v]) => `${k}: ${v}`)
                                .join(' · ')}
                            </div>`
                          : nothing
                      }
                    </td>
                    <td>${t.artistName}</td>
                    <td data-testid="track-genre">${t.genre ? html`<span class="badge genre">${t.genre}</span>` : html`<span class="muted">—</span>`}</td>
                    <td class="num" data-testid="track-plays">${t.playCount}</td>
                    <td style="white-space:nowrap">
                      <button data-testid="play" title="Play as the current user" @click=${() => this._onPlay(t.id)}>▶ Play</button>
                      <button class="danger" data-testid="delete-track" title="Delete" @click=${() => this.media.deleteTrack(t.id)}>✕</button>
                    </td>
                  </tr>`,
              )}
            </tbody>
          </table>
          <form
            data-testid="add-track"
            @submit=${(e: SubmitEvent) => {
              const v = formValues(e);
              if (v.title && v.artist) void this.media.addTrack(v.title, v.artist, v.album);
            }}
          >
            <input name="title" placeholder="Title" aria-label="Title" required />
            <input name="artist" placeholder="Artist" aria-label="Artist" required />
            <input name="album" placeholder="Album (optional)" aria-label="Album" />
            <button class="primary">Add track</button>
          </form>
        </div>
        <div>
          <label class="row"
            >Listening as
            <select data-testid="current-user" .value=${this.currentUser} @change=${(e: Event) => (this.currentUser = (e.target as HTMLSelectElement).value)}>
              ${users.map((u) => html`<option value=${u.id} ?selected=${u.id === this.currentUser}>${u.displayName ?? u.username}</option>`)}
            </select>
          </label>
          <h4>Users</h4>
          <ul data-testid="users">
            ${repeat(
              users,
              (u) => u.id,
              (u) =>
                html`<li data-testid="user" data-user-id=${u.id}>
                  <span>${u.displayName ?? u.username} <span class="muted">@${u.username} · ${u.role}</span></span>
                  <button data-testid="login" @click=${() => this.media.login(u.id)}>Log in</button>
                </li>`,
            )}
          </ul>
          <form
            data-testid="register-user"
            @submit=${(e: SubmitEvent) => {
              const v = formValues(e);
              if (v.username) void this.media.registerUser(v.username, v.displayName);
            }}
          >
            <input name="username" placeholder="Username" aria-label="Username" required />
            <input name="displayName" placeholder="Display name" aria-label="Display name" />
            <button>Register</button>
          </form>
          <form
            data-testid="create-playlist"
            @submit=${(e: SubmitEvent) => {
              const v = formValues(e);
              if (v.name) void this.media.createPlaylist(this.currentUser, v.name);
            }}
          >
            <input name="name" placeholder="Playlist name" aria-label="Playlist name" required />
            <button>Create playlist</button>
          </form>
          <h4>Server events</h4>
          <div class="row">
            <button data-testid="scan-complete" @click=${() => this.media.scanComplete()}>Library scan complete</button>
            <button data-testid="peer-connect" @click=${() => this.media.peerConnected('peer-1', 'music.example.org')}>Peer connects</button>
            <button data-testid="peer-disconnect" @click=${() => this.media.peerDisconnected('peer-1')}>Peer disconnects</button>
          </div>
          <div class="detail" data-testid="track-detail">
            <h4 style="margin-top:0">Track details</h4>
            ${
              selected
                ? html`<p style="margin:0">
                    <strong>${selected.title}</strong><br /><span class="muted">${selected.artistName}${selected.genre ? ` · ${selected.genre}` : ''}</span>
                  </p>`
                : html`<p class="muted" style="margin:0">Click a title to see its details.</p>`
            }
            <pp-plugin-slot name="track-detail-sidebar" .data=${{ track: selected ?? null }}></pp-plugin-slot>
          </div>
        </div>
      </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'pp-media-server': PpMediaServer;
  }
}
