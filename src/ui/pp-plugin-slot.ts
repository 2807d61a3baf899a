import { consume } from '@lit/context';
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import type { PluginView } from '../host/plugin-manager.ts';
import type { Playground } from '../host/playground.ts';
import { PANEL_CSP, withPanelPolicy } from '../shared/csp.ts';
import type { UiSlot } from '../shared/manifest.ts';
import { playgroundContext } from './context.ts';
import { ListenController } from './listen.ts';
import { panelEscaped, registerPanel, unregisterPanel } from './panel-messages.ts';
import { shared } from './styles.ts';

/**
 * One of the media server's UI slots: renders the panel of every running plugin that asks for
 * it, each in `<iframe sandbox="allow-scripts">` (never allow-same-origin) under a policy that
 * loads nothing (src/shared/csp.ts), and posts it the slot's context on load and whenever the
 * context changes. A panel whose frame loads a second document is closed until the plugin is
 * enabled again: what it shows then is no longer the plugin's page.
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
      .escaped {
        margin: 0;
        padding: 0.4rem 0.6rem;
        border: 1px dashed var(--bad);
        border-radius: 6px;
        color: var(--bad);
      }
    `,
  ];

  @consume({ context: playgroundContext, subscribe: true })
  playground?: Playground;

  @property() name!: UiSlot;
  /** What the panels are told about (the current track, ...). */
  @property({ attribute: false }) data: unknown = null;
  @state() private panels: PluginView[] = [];
  /** Plugins whose panel escaped, until they are disabled (a restart after a trap keeps it closed). */
  @state() private escaped = new Set<string>();
  /** The window and document each frame was first given: the same window loading again has navigated. */
  private readonly loaded = new WeakMap<HTMLIFrameElement, { window: Window; srcdoc: string }>();

  private readonly _onChange = () => {
    const views = this.playground?.plugins.list() ?? [];
    this.panels = views.filter(
      ({ record, state }) => record.enabled && state === 'running' && record.ui && record.manifest.ui.enabled && record.manifest.ui.slot === this.name,
    );
    const enabled = new Set(views.filter(({ record }) => record.enabled).map(({ record }) => record.id));
    if ([...this.escaped].some((id) => !enabled.has(id))) this.escaped = new Set([...this.escaped].filter((id) => enabled.has(id)));
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
    const window = frame.contentWindow;
    const pluginId = frame.dataset.plugin!;
    if (!window || !this.playground) return;
    const first = this.loaded.get(frame);
    // A frame moved in the DOM gets a new window, and a new srcdoc is ours: both load afresh.
    // The same window loading the same srcdoc again was navigated from inside.
    if (first?.window === window && first.srcdoc === frame.srcdoc) {
      panelEscaped(this.playground, window, pluginId, this.name);
      this.escaped = new Set(this.escaped).add(pluginId);
      return;
    }
    this.loaded.set(frame, { window, srcdoc: frame.srcdoc });
    registerPanel(this.playground, window, pluginId, this.name);
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
          ${
            this.escaped.has(record.id)
              ? html`<p class="escaped" role="status" data-testid="panel-escaped-${record.id}">
                  The ${record.id} panel tried to load another page and was closed. Disable and enable the plugin to show it again.
                </p>`
              : html`<iframe
                  title="${record.id} panel"
                  sandbox="allow-scripts"
                  csp=${PANEL_CSP}
                  referrerpolicy="no-referrer"
                  data-plugin=${record.id}
                  data-testid="panel-${record.id}"
                  .srcdoc=${withPanelPolicy(record.ui!.html)}
                  @load=${this._onLoad}
                ></iframe>`
          }`,
    );
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'pp-plugin-slot': PpPluginSlot;
  }
}
