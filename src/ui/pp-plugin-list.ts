import { consume } from '@lit/context';
import { LitElement, css, html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import type { PluginView } from '../host/plugin-manager.ts';
import type { Playground } from '../host/playground.ts';
import { formatBytes } from '../shared/wasm-file.ts';
import { playgroundContext } from './context.ts';
import { shared } from './styles.ts';
import './pp-plugin-config.ts';

function stateLabel(view: PluginView): string {
  if (!view.record.enabled) return 'installed';
  return view.state === 'stopped' ? 'restarting' : view.state;
}

/** Installed plugins in load order, with their state and controls. */
@customElement('pp-plugin-list')
export class PpPluginList extends LitElement {
  static override styles = [
    shared,
    css`
      ol { list-style: none; margin: 0; padding: 0; display: grid; gap: 0.6rem; }
      li { border: 1px solid var(--border); border-radius: var(--radius); padding: 0.6rem 0.7rem; }
      .title { display: flex; gap: 0.5rem; align-items: baseline; justify-content: space-between; }
      .desc { margin: 0.25rem 0; }
      .meta { font-size: 0.8rem; }
      .actions { display: flex; gap: 0.4rem; margin-top: 0.4rem; flex-wrap: wrap; }
      details { margin-top: 0.4rem; font-size: 0.85rem; }
      summary { cursor: pointer; color: var(--muted); }
    `,
  ];

  @consume({ context: playgroundContext, subscribe: true })
  playground?: Playground;

  @state() private views: PluginView[] = [];
  @state() private failure?: string;

  private readonly _onChange = () => {
    this.views = this.playground?.plugins.list() ?? [];
  };

  override connectedCallback(): void {
    super.connectedCallback();
    this.playground?.plugins.addEventListener('change', this._onChange);
    this._onChange();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.playground?.plugins.removeEventListener('change', this._onChange);
  }

  private async act(what: string, action: () => Promise<void>): Promise<void> {
    this.failure = undefined;
    try {
      await action();
    } catch (e) {
      this.failure = `${what} failed: ${e instanceof Error ? e.message : String(e)}`;
    }
  }

  private _onRemove(view: PluginView): void {
    const ok = confirm(
      `Remove ${view.record.name}? Its component, its config and its cached transpile output are deleted.`,
    );
    if (ok) void this.act(`Removing ${view.record.name}`, () => this.playground!.plugins.remove(view.record.id));
  }

  private renderPlugin(view: PluginView) {
    const { record } = view;
    const plugins = this.playground!.plugins;
    const label = stateLabel(view);
    return html`<li data-testid="plugin-${record.id}" data-state=${label}>
      <div class="title">
        <h3>${record.name} <span class="muted" style="font-weight:normal">${record.version}</span></h3>
        <span class="badge ${label}" data-testid="plugin-state">${label}</span>
      </div>
      <p class="desc" data-testid="plugin-description">${record.description}</p>
      <div class="meta muted">
        by ${record.author || 'unknown'} · ${formatBytes(record.size)} · ${record.source === 'sample' ? 'sample' : record.fileName}
        ${view.startedAt && view.state === 'running'
          ? html`· <span data-testid="plugin-started">worker started ${new Date(view.startedAt).toLocaleTimeString()}</span>`
          : nothing}
      </div>
      ${view.lastError ? html`<p class="error-text meta" data-testid="plugin-error">${view.lastError}</p>` : nothing}
      <div class="actions">
        ${record.enabled
          ? html`<button data-testid="disable" @click=${() => this.act('Disabling', () => plugins.disable(record.id))}>Disable</button>`
          : html`<button class="primary" data-testid="enable" @click=${() => this.act('Enabling', () => plugins.enable(record.id))}>
              Enable
            </button>`}
        <button class="danger" data-testid="remove" @click=${() => this._onRemove(view)}>Remove</button>
      </div>
      <details>
        <summary>Imports and exports</summary>
        <p style="margin:0.3rem 0">Imports:</p>
        <pre data-testid="plugin-imports">${record.imports.join('\n')}</pre>
        <p style="margin:0.3rem 0">Exports:</p>
        <pre data-testid="plugin-exports">${record.exports.join('\n')}</pre>
      </details>
      <details>
        <summary>WIT</summary>
        <pre data-testid="plugin-wit">${record.wit}</pre>
      </details>
      <details>
        <summary>Config</summary>
        <pp-plugin-config .pluginId=${record.id}></pp-plugin-config>
      </details>
    </li>`;
  }

  override render() {
    return html`<section class="panel" aria-labelledby="plugins-title">
      <h2 id="plugins-title">Plugins <span class="muted">(load order)</span></h2>
      ${this.failure ? html`<p class="error-text" role="alert">${this.failure}</p>` : nothing}
      ${this.views.length === 0
        ? html`<p class="muted" data-testid="no-plugins">No plugins yet. Add one above.</p>`
        : html`<ol>${this.views.map((view) => this.renderPlugin(view))}</ol>`}
    </section>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'pp-plugin-list': PpPluginList;
  }
}
