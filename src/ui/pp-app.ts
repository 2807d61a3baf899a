import { provide } from '@lit/context';
import { LitElement, css, html } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { createPlayground, type Playground } from '../host/playground.ts';
import { capabilities, capabilityNotice } from '../shared/capabilities.ts';
import { AppUpdates } from './app-updates.ts';
import { playgroundContext } from './context.ts';
import { ListenController } from './listen.ts';
import { Selection, selectionContext } from './selection.ts';
import { shared } from './styles.ts';
import './pp-upload.ts';
import './pp-plugin-list.ts';
import './pp-media-server.ts';
import './pp-workbench.ts';
import './pp-explore.ts';

const BLOCKED =
  'Waiting for another tab: Plugin Playground is open there in an older version, and this version must update the storage they share first. Close or reload that tab to go on.';
const SUPERSEDED =
  'A newer version of Plugin Playground was opened in another tab, so this tab has stopped its plugins and let go of the storage. Reload to use the new version: your plugins, config and logs are kept.';
const TERMINATED =
  "The browser closed the playground's storage (it may have been cleared, or the disk failed). Reload the page; if this happens again, check the free disk space.";

/** The page: owns the playground's services and lays out the panels. */
@customElement('pp-app')
export class PpApp extends LitElement {
  static override styles = [
    shared,
    css`
      :host {
        min-height: 100vh;
        display: grid;
        grid-template-rows: auto 1fr;
      }
      header {
        display: flex;
        align-items: baseline;
        gap: 1rem;
        padding: 0.7rem 1.2rem;
        border-bottom: 1px solid var(--border);
        background: var(--panel);
      }
      header h1 {
        font-size: 1.1rem;
        margin: 0;
      }
      header .offline {
        margin-left: auto;
        font-size: 0.8rem;
        color: var(--ok);
        border: 1px solid currentColor;
        border-radius: 999px;
        padding: 0.05rem 0.6rem;
      }
      .update {
        margin: 1rem 1rem 0;
        display: flex;
        gap: 0.8rem;
        align-items: center;
        flex-wrap: wrap;
      }
      main {
        display: grid;
        grid-template-columns: minmax(280px, 360px) minmax(0, 1fr);
        gap: 1rem;
        padding: 1rem;
        align-items: start;
      }
      .left,
      .centre {
        display: grid;
        gap: 1rem;
        min-width: 0;
      }
      @media (max-width: 860px) {
        main {
          grid-template-columns: 1fr;
        }
      }
    `,
  ];

  @provide({ context: playgroundContext })
  @state()
  playground?: Playground;

  @provide({ context: selectionContext })
  selection = new Selection();

  private readonly updates = new AppUpdates();
  protected readonly updatesSubscription = new ListenController(
    this,
    () => this.updates,
    ['change'],
    () => this.requestUpdate(),
  );

  @state() private failure?: string;
  /** Why storage is not open yet, while it waits for another tab. */
  @state() private waiting?: string;
  /** A newer version opened in another tab took the storage: this tab can only be reloaded. */
  @state() private superseded = false;
  /** What this browser lacks, said once on load instead of as an error at the first plugin. */
  private readonly missing = capabilityNotice(capabilities());
  /** Problems that do not stop the page (e.g. storage full while logging), shown until dismissed. */
  @state() private notices: string[] = [];

  override connectedCallback(): void {
    super.connectedCallback();
    this.updates.start();
    createPlayground({
      blocked: () => (this.waiting = BLOCKED),
      superseded: () => (this.superseded = true),
      terminated: () => (this.failure = TERMINATED),
    }).then(
      (playground) => {
        this.playground = playground;
        playground.eventsLog.addEventListener('error', (e) => {
          const message = (e as CustomEvent<string>).detail;
          // Once the storage is given up, writes that were under way fail: nothing to tell.
          if (!this.superseded && !this.notices.includes(message)) this.notices = [...this.notices, message];
        });
      },
      (e: unknown) =>
        (this.failure = `The playground could not open its storage: ${e instanceof Error ? e.message : String(e)}. Private browsing modes may block IndexedDB; try a normal window.`),
    );
  }

  private renderBody() {
    if (this.superseded) {
      return html`<p class="panel update" role="alert" data-testid="superseded">
        ${SUPERSEDED}
        <button class="primary" @click=${() => location.reload()}>Reload</button>
      </p>`;
    }
    if (this.failure) return html`<p class="panel error-text" role="alert">${this.failure}</p>`;
    if (!this.playground) return html`<p class="muted" style="padding:1rem" role="status" data-testid="opening">${this.waiting ?? 'Opening storage…'}</p>`;
    return html`<main>
      <div class="left">
        <pp-upload></pp-upload>
        <pp-plugin-list></pp-plugin-list>
      </div>
      <div class="centre">
        <pp-explore></pp-explore>
        <pp-media-server></pp-media-server>
        <pp-workbench></pp-workbench>
      </div>
    </main>`;
  }

  override render() {
    return html`
      <header>
        <h1>Plugin Playground</h1>
        <span class="muted">WebAssembly component plugins, run in your browser, every call traced.</span>
        ${
          this.updates.offlineReady
            ? html`<span class="offline" data-testid="offline-ready" title="Everything the playground needs is cached in this browser">Works offline</span>`
            : ''
        }
      </header>
      ${
        this.updates.updateWaiting
          ? html`<p class="panel update" role="status" data-testid="update-prompt">
              A new version of Plugin Playground is available.
              <button class="primary" data-testid="update-reload" @click=${() => this.updates.reload()}>Reload</button>
              <span class="muted">Your plugins, config and logs are kept.</span>
            </p>`
          : ''
      }
      ${this.missing ? html`<p class="panel error-text" role="alert" data-testid="capability-notice" style="margin:1rem 1rem 0">${this.missing}</p>` : ''}
      ${this.notices.map(
        (notice) =>
          html`<p class="panel error-text" role="alert" style="margin:1rem 1rem 0">
            ${notice} <button @click=${() => (this.notices = this.notices.filter((n) => n !== notice))}>Dismiss</button>
          </p>`,
      )}
      ${this.renderBody()}
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'pp-app': PpApp;
  }
}
