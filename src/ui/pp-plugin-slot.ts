import { consume } from '@lit/context';
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import type { PluginView } from '../host/plugin-manager.ts';
import type { Playground } from '../host/playground.ts';
import type { UiSlot } from '../shared/manifest.ts';
import { playgroundContext } from './context.ts';
import { ListenController } from './listen.ts';
import { registerPanel, unregisterPanel } from './panel-messages.ts';
import { shared } from './styles.ts';

/**
 * One of the media server's UI slots: renders the panel of every running plugin that asks for
 * it, each in `<iframe sandbox="allow-scripts">` (never allow-same-origin), and posts it the
 * slot's context on load and whenever the context changes.
 */
@customElement('pp-plugin-slot')
export class PpPluginSlot extends LitElement {
  static override styles = [
    shared,
    css`
      :host {
        display: block;
      }
      iframe {
        width: 100%;
        height: 9rem;
        border: 1px dashed var(--border);
        border-radius: 6px;
        background: var(--panel);
      }
      .label {
        font-size: 0.75rem;
        color: var(--muted);
        margin: 0.3rem 0 0.1rem;
      }
    `,
  ];

  @consume({ context: playgroundContext, subscribe: true })
  playground?: Playground;

  @property() name!: UiSlot;
  /** What the panels are told about (the current track, ...). */
  @property({ attribute: false }) data: unknown = null;
  @state() private panels: PluginView[] = [];

  private readonly _onChange = () => {
    this.panels = (this.playground?.plugins.list() ?? []).filter(
      ({ record, state }) => record.enabled && state === 'running' && record.ui && record.manifest.ui.enabled && record.manifest.ui.slot === this.name,
    );
  };

  protected readonly subscription = new ListenController(this, () => this.playground?.plugins, ['change'], this._onChange, true);

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    for (const frame of this.renderRoot.querySelectorAll('iframe')) unregisterPanel(frame.contentWindow);
  }

  private post(frame: HTMLIFrameElement): void {
    const message = { type: 'playground:context', slot: this.name, pluginId: frame.dataset.plugin, data: this.data };
    // Sandboxed without allow-same-origin, the panel's origin is opaque: "*" is the only target.
    frame.contentWindow?.postMessage(JSON.parse(JSON.stringify(message)) as unknown, '*');
  }

  private _onLoad(e: Event): void {
    const frame = e.target as HTMLIFrameElement;
    if (!frame.contentWindow || !this.playground) return;
    registerPanel(this.playground, frame.contentWindow, frame.dataset.plugin!, this.name);
    this.post(frame);
  }

  override updated(changed: Map<string, unknown>): void {
    if (changed.has('data')) for (const frame of this.renderRoot.querySelectorAll('iframe')) this.post(frame);
  }

  override render() {
    if (this.panels.length === 0) return nothing;
    return repeat(
      this.panels,
      ({ record }) => `${record.id}:${record.sha256}`,
      ({ record }) =>
        html`<div class="label">${record.id}</div>
          <iframe
            title="${record.id} panel"
            sandbox="allow-scripts"
            referrerpolicy="no-referrer"
            data-plugin=${record.id}
            data-testid="panel-${record.id}"
            .srcdoc=${record.ui!.html}
            @load=${this._onLoad}
          ></iframe>`,
    );
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'pp-plugin-slot': PpPluginSlot;
  }
}
