import { consume } from '@lit/context';
import { LitElement, css, html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { keyed } from 'lit/directives/keyed.js';
import type { ExploredRecord } from '../host/db.ts';
import type { Playground } from '../host/playground.ts';
import { WASI_INTERFACES } from '../shared/contract.ts';
import { itemFunctions, type WorldItem } from '../shared/wit/model.ts';
import { playgroundContext } from './context.ts';
import { ListenController } from './listen.ts';
import { shared } from './styles.ts';
import './pp-code-editor.ts';
import './pp-explore-fn.ts';
import './pp-explore-stub.ts';

const isWasi = (item: WorldItem) => item.kind === 'interface' && (WASI_INTERFACES as readonly string[]).includes(item.iface.key);

/**
 * Components that are not plugins: each one's whole WIT, a form per exported function, and
 * its imports stubbed. Nothing here is installed; calls and stub calls go to the trace.
 */
@customElement('pp-explore')
export class PpExplore extends LitElement {
  static override styles = [
    shared,
    css`
      .list {
        display: flex;
        flex-wrap: wrap;
        gap: 0.4rem;
        margin: 0 0 0.8rem;
        padding: 0;
        list-style: none;
      }
      .list li {
        display: flex;
        gap: 0.2rem;
      }
      .list button[aria-pressed='true'] {
        border-color: var(--accent);
        color: var(--accent);
        font-weight: 600;
      }
      h4 {
        margin: 1rem 0 0.2rem;
        font-size: 0.9rem;
      }
      pp-code-editor {
        height: 22rem;
        border: 1px solid var(--border);
        border-radius: 6px;
        overflow: hidden;
        margin-top: 0.4rem;
      }
    `,
  ];

  @consume({ context: playgroundContext, subscribe: true })
  playground?: Playground;

  @state() private revision = 0;
  protected readonly explorerSubscription = new ListenController(
    this,
    () => this.playground?.explorer,
    ['change'],
    () => this.revision++,
  );

  private get explorer() {
    return this.playground?.explorer;
  }

  private exports(record: ExploredRecord) {
    const functions = record.world.exports.flatMap(itemFunctions);
    if (!functions.length) return html`<p class="muted">It exports no functions.</p>`;
    return functions.map(({ key, fn }) => html`<pp-explore-fn .explorer=${this.explorer} .componentId=${record.id} .key=${key} .fn=${fn}></pp-explore-fn>`);
  }

  private imports(record: ExploredRecord) {
    const wasi = record.world.imports.filter(isWasi);
    const stubbed = record.world.imports.filter((item) => !isWasi(item)).flatMap(itemFunctions);
    return html`
      ${
        wasi.length
          ? html`<p class="muted" data-testid="wasi-imports">
              Served by the browser's WASI shim (stdout and stderr go to the trace):
              ${wasi.map((item, i) => html`${i ? ', ' : ''}<code>${item.kind === 'interface' ? item.iface.name : ''}</code>`)}
            </p>`
          : nothing
      }
      ${
        stubbed.length
          ? stubbed.map(({ key, fn }) => html`<pp-explore-stub .explorer=${this.explorer} .componentId=${record.id} .key=${key} .fn=${fn}></pp-explore-stub>`)
          : html`<p class="muted">Nothing else: it imports no functions to stub.</p>`
      }
    `;
  }

  override render() {
    const explorer = this.explorer;
    const records = explorer?.list() ?? [];
    if (!explorer || records.length === 0) return nothing;
    const record = explorer.get(explorer.selected ?? '') ?? records[0]!;
    return html`<section class="panel" aria-labelledby="explore-title" data-testid="explore">
      <h2 id="explore-title">Explore</h2>
      <p class="muted" style="margin:0 0 0.6rem">
        Components that are not plugins: not installed, nothing runs until you call an export. Each runs in its own locked-down worker with the plugin limits.
      </p>
      <ul class="list" data-testid="explored-list">
        ${records.map(
          (r) =>
            html`<li data-testid="explored" data-id=${r.id} data-name=${r.fileName}>
              <button aria-pressed=${r.id === record.id} @click=${() => explorer.select(r.id)}>${r.fileName}</button>
              <button class="danger" data-testid="explored-remove" title="Remove ${r.fileName} from Explore" @click=${() => explorer.remove(r.id)}>✕</button>
            </li>`,
        )}
      </ul>
      ${explorer.storageProblem ? html`<p class="error-text" role="alert">${explorer.storageProblem}</p>` : nothing}
      <h3>${record.fileName} <span class="muted" style="font-weight:normal">${(record.size / 1024).toFixed(1)} KiB</span></h3>
      <details open>
        <summary>Its WIT: the world and every interface it imports or exports</summary>
        <pp-code-editor data-testid="explore-wit" language="wit" read-only .value=${record.wit}></pp-code-editor>
      </details>
      <h4>Exports</h4>
      <div data-testid="explore-exports">${keyed(record.id, this.exports(record))}</div>
      <h4>Imports</h4>
      <p class="muted" style="margin:0 0 0.3rem">
        Every imported function is a stub: it records its call in the trace and returns what you set, or its result type's zero value.
      </p>
      <div data-testid="explore-imports">${keyed(record.id, this.imports(record))}</div>
    </section>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'pp-explore': PpExplore;
  }
}
