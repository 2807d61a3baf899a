import { consume } from '@lit/context';
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { InstallError, type PluginView } from '../host/plugin-manager.ts';
import type { Playground } from '../host/playground.ts';
import type { ReloadSource } from '../host/plugin-reload.ts';
import { draftSummary } from '../shared/manifest-text.ts';
import { formatBytes } from '../shared/wasm-file.ts';
import { playgroundContext } from './context.ts';
import type { PpReviewDialog } from './pp-review-dialog.ts';
import { selectionContext, type Selection } from './selection.ts';
import { shared } from './styles.ts';
import './pp-author-tools.ts';
import './pp-events-log.ts';
import './pp-hydrust-panel.ts';
import './pp-plugin-config.ts';
import './pp-review-dialog.ts';

function stateLabel(view: PluginView): string {
  if (!view.record.enabled) return view.needsReview ? 'needs review' : 'installed';
  if (view.state === 'killed') return 'killed: time limit exceeded';
  return view.state === 'stopped' ? 'restarting' : view.state;
}

/** One installed plugin: what it is, its state, and everything the user can do with it. */
@customElement('pp-plugin-card')
export class PpPluginCard extends LitElement {
  static override styles = [
    shared,
    css`
      :host {
        border: 1px solid var(--border);
        border-radius: var(--radius);
        padding: 0.6rem 0.7rem;
        min-width: 0;
        overflow-wrap: anywhere;
      }
      .title {
        display: flex;
        gap: 0.5rem;
        align-items: baseline;
        justify-content: space-between;
      }
      .desc {
        margin: 0.25rem 0;
      }
      .meta {
        font-size: 0.8rem;
      }
      .actions {
        display: flex;
        gap: 0.35rem;
        margin-top: 0.45rem;
        flex-wrap: wrap;
      }
      .actions button {
        padding: 0.2rem 0.55rem;
      }
      details {
        margin-top: 0.4rem;
        font-size: 0.85rem;
      }
      summary {
        cursor: pointer;
        color: var(--muted);
      }
      .notice {
        color: var(--warn);
        font-size: 0.85rem;
        margin: 0.3rem 0;
      }
      .badge.draft {
        color: var(--warn);
        margin-left: 0.3rem;
      }
      .badge.profile {
        color: var(--accent);
        margin-left: 0.3rem;
      }
      input[type='file'] {
        display: none;
      }
      :host([dropping]) {
        border-color: var(--accent);
        background: color-mix(in srgb, var(--accent) 8%, transparent);
      }
    `,
  ];

  @consume({ context: playgroundContext, subscribe: true })
  playground?: Playground;

  @consume({ context: selectionContext, subscribe: true })
  selection?: Selection;

  @property({ attribute: false }) view!: PluginView;
  @property({ type: Boolean }) first = false;
  @property({ type: Boolean }) last = false;
  @state() private message?: { text: string; bad: boolean };
  /** A build is being dragged over the card: dropping it reloads this plugin. */
  @property({ type: Boolean, reflect: true }) dropping = false;
  /** The config and events-log panels exist only while open: closed, they follow no changes. */
  @state() private open = new Set<'config' | 'events-log'>();
  @query('pp-review-dialog') private reviewDialog!: PpReviewDialog;

  constructor() {
    super();
    this.addEventListener('dragover', (e) => {
      e.preventDefault();
      this.dropping = true;
    });
    this.addEventListener('dragleave', () => (this.dropping = false));
    this.addEventListener('drop', (e) => {
      e.preventDefault();
      this.dropping = false;
      void this.reload([...(e.dataTransfer?.files ?? [])], 'drop');
    });
  }

  private get plugins() {
    return this.playground!.plugins;
  }

  private async act(what: string, action: () => Promise<unknown>): Promise<void> {
    this.message = undefined;
    try {
      await action();
    } catch (e) {
      this.message = { text: `${what} failed: ${e instanceof Error ? e.message : String(e)}`, bad: true };
    }
  }

  private async _onEnable(): Promise<void> {
    const { record, needsReview } = this.view;
    await this.act('Enabling', async () => {
      if (needsReview) {
        const review = this.plugins.review(record.id)!;
        if (!(await this.reviewDialog.ask(record.id, review))) return;
        await this.plugins.approve(record.id);
      }
      await this.plugins.enable(record.id);
    });
  }

  private _onRemove(): void {
    const { id } = this.view.record;
    const ok = confirm(`Remove ${id}? Its component, config, cached transpile output and logs are deleted.`);
    if (ok) void this.act(`Removing ${id}`, () => this.plugins.remove(id));
  }

  private async _onUpdate(e: Event): Promise<void> {
    const input = e.target as HTMLInputElement;
    const files = [...(input.files ?? [])];
    input.value = '';
    await this.reload(files, 'update');
  }

  /** A new build (and optionally its plugin.toml and UI page) replaces this plugin in place. */
  private async reload(files: File[], source: ReloadSource): Promise<void> {
    if (files.length === 0) return;
    this.message = { text: 'Updating…', bad: false };
    try {
      const uploads = files.map((file) => ({ name: file.name, size: file.size, bytes: async () => new Uint8Array(await file.arrayBuffer()) }));
      const { message, notice } = await this.playground!.reloads.reload(this.view.record.id, uploads, source);
      this.message = { text: message, bad: Boolean(notice) };
    } catch (e) {
      const problems = e instanceof InstallError && e.details.problems ? ` ${e.details.problems.join(' ')}` : '';
      this.message = { text: `${e instanceof Error ? e.message : String(e)}${problems}`, bad: true };
    }
  }

  private _onToggle(e: Event, panel: 'config' | 'events-log'): void {
    const open = new Set(this.open);
    if ((e.target as HTMLDetailsElement).open) open.add(panel);
    else open.delete(panel);
    this.open = open;
  }

  override render() {
    const view = this.view;
    const { record } = view;
    const { plugin } = record.manifest;
    const label = stateLabel(view);
    const reported = record.info.version !== plugin.version ? ` (the component says ${record.info.version})` : '';
    return html`
      <div class="title">
        <h3>
          ${plugin.name} <span class="muted" style="font-weight:normal">${plugin.version}${reported}</span>
          ${record.profile === 'hydrust' ? html`<span class="badge profile">Hydrust provider</span>` : nothing}
          ${record.draft ? html`<span class="badge draft" data-testid="draft-badge">draft manifest</span>` : nothing}
        </h3>
        <span class="badge ${label.split(/[ :]/)[0]}" data-testid="plugin-state">${label}</span>
      </div>
      <p class="desc" data-testid="plugin-description">${plugin.description}</p>
      <div class="meta muted">
        by ${plugin.author || record.info.author || 'unknown'} · ${formatBytes(record.size)} · ${record.source === 'sample' ? 'sample' : record.fileName}
        ${
          view.startedAt && view.state === 'running'
            ? html`· <span data-testid="plugin-started">worker started ${new Date(view.startedAt).toLocaleTimeString()}</span>`
            : nothing
        }
      </div>
      ${record.draft ? html`<p class="meta muted" data-testid="draft-note">${draftSummary(record.manifest.permissions)}</p>` : nothing}
      ${view.lastError ? html`<p class="error-text meta" data-testid="plugin-error">${view.lastError}</p>` : nothing}
      ${record.notice ? html`<p class="notice" data-testid="plugin-notice">${record.notice}</p>` : nothing}
      ${record.warnings.length ? html`<p class="notice" data-testid="manifest-warnings">${record.warnings.join(' ')}</p>` : nothing}
      ${this.message ? html`<p class=${this.message.bad ? 'error-text meta' : 'meta'} data-testid="card-message">${this.message.text}</p>` : nothing}
      <div class="actions">
        ${
          record.enabled
            ? html`<button data-testid="disable" @click=${() => this.act('Disabling', () => this.plugins.disable(record.id))}>Disable</button>`
            : html`<button class="primary" data-testid="enable" @click=${this._onEnable}>${view.needsReview ? 'Review and enable…' : 'Enable'}</button>`
        }
        <button data-testid="open-manifest" @click=${() => this.selection?.show('manifest', record.id)}>Manifest</button>
        <button data-testid="open-wit" @click=${() => this.selection?.show('wit', record.id)}>WIT</button>
        <label class="button" title="Upload a new version of this plugin"
          >Update…
          <input type="file" multiple accept=".wasm,.toml,.html,.htm" data-testid="update-input" @change=${this._onUpdate} />
        </label>
        <button
          data-testid="move-up"
          title="Earlier in the load order"
          aria-label="Move ${plugin.name} up"
          ?disabled=${this.first}
          @click=${() => this.act('Moving', () => this.plugins.move(record.id, -1))}
        >
          ↑
        </button>
        <button
          data-testid="move-down"
          title="Later in the load order"
          aria-label="Move ${plugin.name} down"
          ?disabled=${this.last}
          @click=${() => this.act('Moving', () => this.plugins.move(record.id, 1))}
        >
          ↓
        </button>
        <button class="danger" data-testid="remove" @click=${this._onRemove}>Remove</button>
      </div>
      <pp-author-tools .view=${view}></pp-author-tools>
      ${
        record.profile === 'hydrust'
          ? html`<pp-hydrust-panel .pluginId=${record.id} .enabled=${record.enabled && view.state === 'running'}></pp-hydrust-panel>`
          : nothing
      }
      <details>
        <summary>Imports and exports</summary>
        <pre data-testid="plugin-imports">${record.imports.join('\n')}</pre>
        <pre data-testid="plugin-exports">${record.exports.join('\n')}</pre>
      </details>
      <details @toggle=${(e: Event) => this._onToggle(e, 'config')}>
        <summary>Config</summary>
        ${this.open.has('config') ? html`<pp-plugin-config .pluginId=${record.id}></pp-plugin-config>` : nothing}
      </details>
      <details data-testid="events-log-details" @toggle=${(e: Event) => this._onToggle(e, 'events-log')}>
        <summary>Events log</summary>
        ${this.open.has('events-log') ? html`<pp-events-log .pluginId=${record.id}></pp-events-log>` : nothing}
      </details>
      <pp-review-dialog></pp-review-dialog>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'pp-plugin-card': PpPluginCard;
  }
}
