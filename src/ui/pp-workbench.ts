import { consume } from '@lit/context';
import { LitElement, css, html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import type { Playground } from '../host/playground.ts';
import { playgroundContext } from './context.ts';
import { selectionContext, type Selection, type WorkbenchTab } from './selection.ts';
import { ListenController } from './listen.ts';
import { shared } from './styles.ts';
import './pp-code-editor.ts';
import './pp-manifest-editor.ts';
import './pp-replay-view.ts';
import './pp-settings.ts';
import './pp-trace.ts';

const TABS: Array<[WorkbenchTab, string]> = [
  ['trace', 'Trace'],
  ['manifest', 'Manifest'],
  ['wit', 'WIT'],
  ['replay', 'Replay'],
  ['settings', 'Settings'],
];

/** Tabs under the media server: the live trace, a plugin's manifest, its WIT, its last replay, the settings. */
@customElement('pp-workbench')
export class PpWorkbench extends LitElement {
  static override styles = [
    shared,
    css`
      [role='tablist'] {
        display: flex;
        gap: 0.25rem;
        border-bottom: 1px solid var(--border);
        margin-bottom: 0.7rem;
      }
      [role='tab'] {
        border: none;
        border-bottom: 2px solid transparent;
        border-radius: 0;
        background: none;
        padding: 0.4rem 0.8rem;
      }
      [role='tab'][aria-selected='true'] {
        border-bottom-color: var(--accent);
        color: var(--accent);
        font-weight: 600;
      }
      pp-code-editor {
        height: 26rem;
        border: 1px solid var(--border);
        border-radius: 6px;
        overflow: hidden;
      }
      .panel {
        padding-top: 0.4rem;
      }
    `,
  ];

  @consume({ context: playgroundContext, subscribe: true })
  playground?: Playground;

  @consume({ context: selectionContext, subscribe: true })
  selection?: Selection;

  @state() private revision = 0;
  /**
   * The trace stays in the page once opened, hidden behind the other tabs: building its editor
   * again on every visit slowed the host calls of the events that came next (the page's thread
   * answers them), and the reader's filters went with it.
   */
  private traceOpened = false;
  private readonly _onChange = () => this.revision++;

  protected readonly selectionSubscription = new ListenController(this, () => this.selection, ['change'], this._onChange);

  protected readonly pluginsSubscription = new ListenController(this, () => this.playground?.plugins, ['change'], this._onChange);

  private _onKey(e: KeyboardEvent): void {
    const index = TABS.findIndex(([tab]) => tab === this.selection!.tab);
    const step = e.key === 'ArrowRight' ? 1 : e.key === 'ArrowLeft' ? -1 : 0;
    if (!step) return;
    const [next] = TABS[(index + step + TABS.length) % TABS.length]!;
    this.selection!.show(next);
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>(`[data-tab="${next}"]`)?.focus());
  }

  private renderTab(tab: WorkbenchTab) {
    const id = this.selection?.pluginId;
    const record = id ? this.playground?.plugins.get(id)?.record : undefined;
    switch (tab) {
      case 'trace':
        return nothing; // kept in a panel of its own: see render
      case 'settings':
        return html`<pp-settings></pp-settings>`;
      case 'manifest':
        return html`<pp-manifest-editor .pluginId=${id ?? ''}></pp-manifest-editor>`;
      case 'replay':
        return html`<pp-replay-view .pluginId=${id ?? ''}></pp-replay-view>`;
      case 'wit':
        return record
          ? html`<p style="margin:0 0 0.5rem"><strong>${record.id}</strong> <span class="muted">its world, as the component declares it</span></p>
              <pp-code-editor data-testid="wit-view" language="wit" read-only .value=${record.wit}></pp-code-editor>`
          : html`<p class="muted">Choose a plugin's <b>WIT</b> button to see what it imports and exports.</p>`;
    }
  }

  override render() {
    const current = this.selection?.tab ?? 'trace';
    this.traceOpened ||= current === 'trace';
    return html`<section class="panel" aria-label="Workbench">
      <div role="tablist" @keydown=${this._onKey}>
        ${TABS.map(
          ([tab, label]) =>
            html`<button
              role="tab"
              id="tab-${tab}"
              data-tab=${tab}
              data-testid="tab-${tab}"
              aria-selected=${tab === current}
              aria-controls=${tab === 'trace' ? 'tabpanel-trace' : 'tabpanel'}
              tabindex=${tab === current ? 0 : -1}
              @click=${() => this.selection?.show(tab)}
            >
              ${label}
            </button>`,
        )}
      </div>
      ${
        this.traceOpened
          ? html`<div role="tabpanel" id="tabpanel-trace" aria-labelledby="tab-trace" ?hidden=${current !== 'trace'}>
              <pp-trace .active=${current === 'trace'}></pp-trace>
            </div>`
          : nothing
      }
      ${current === 'trace' ? nothing : html`<div role="tabpanel" id="tabpanel" aria-labelledby="tab-${current}">${this.renderTab(current)}</div>`}
    </section>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'pp-workbench': PpWorkbench;
  }
}
