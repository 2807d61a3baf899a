import { consume } from '@lit/context';
import { LitElement, css, html } from 'lit';
import { customElement, query, state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import type { Playground } from '../host/playground.ts';
import type { TraceKind, TraceRecord } from '../shared/protocol.ts';
import { summarize } from '../shared/trace-format.ts';
import { playgroundContext } from './context.ts';
import { ListenController } from './listen.ts';
import { shared } from './styles.ts';

/** How many matching records the list renders; the trace itself keeps many more. */
const SHOWN = 400;

const KINDS: TraceKind[] = ['event', 'event-result', 'host-call', 'permission', 'log', 'lifecycle', 'http', 'http-response', 'published', 'error'];

function tone(record: TraceRecord): string {
  if (record.kind === 'error') return 'bad';
  if (record.kind === 'event-result' && record.result === 'error') return 'bad';
  if (record.kind === 'host-call' && record.result.tag === 'err') return 'bad';
  if ((record.kind === 'permission' || record.kind === 'http') && !record.allowed) return 'bad';
  if (record.kind === 'log' && (record.level === 'error' || record.level === 'stderr')) return 'bad';
  if (record.kind === 'log' && record.level === 'warn') return 'warn';
  if (record.kind === 'lifecycle' && (record.step === 'failed' || record.step === 'restarting')) return 'bad';
  return '';
}

/** The live trace, newest at the bottom, filterable by plugin and kind. */
@customElement('pp-trace')
export class PpTrace extends LitElement {
  static override styles = [
    shared,
    css`
      .bar { display: flex; gap: 0.5rem; align-items: center; margin-bottom: 0.5rem; flex-wrap: wrap; }
      ol { list-style: none; margin: 0; padding: 0; height: 22rem; overflow: auto; background: var(--code); border-radius: 6px;
           font-family: ui-monospace, 'SF Mono', Menlo, Consolas, monospace; font-size: 0.78rem; }
      li { display: grid; grid-template-columns: 6.5rem 8rem 6.5rem minmax(0, 1fr); gap: 0.5rem; padding: 0.1rem 0.5rem; border-bottom: 1px solid var(--border); }
      li.bad { color: var(--bad); }
      li.warn { color: var(--warn); }
      .text { white-space: pre-wrap; word-break: break-word; }
    `,
  ];

  @consume({ context: playgroundContext, subscribe: true })
  playground?: Playground;

  @state() private plugin = '';
  @state() private kind = '';
  @state() private revision = 0;
  @query('ol') private list?: HTMLOListElement;

  private pinnedToBottom = true;
  private scheduled = false;

  // Records arrive in bursts; render at most once a frame.
  private readonly _onRecord = () => {
    if (this.scheduled) return;
    this.scheduled = true;
    requestAnimationFrame(() => {
      this.scheduled = false;
      this.revision++;
    });
  };

  protected readonly subscription = new ListenController(this, () => this.playground?.trace, ['record', 'clear'], this._onRecord);

  override updated(): void {
    if (this.pinnedToBottom && this.list) this.list.scrollTop = this.list.scrollHeight;
  }

  private _onScroll(): void {
    const list = this.list!;
    this.pinnedToBottom = list.scrollHeight - list.scrollTop - list.clientHeight < 24;
  }

  override render() {
    const all = this.playground?.trace.records() ?? [];
    const plugins = [...new Set(all.map((r) => r.pluginId))].sort();
    const matching = all.filter((r) => (!this.plugin || r.pluginId === this.plugin) && (!this.kind || r.kind === this.kind));
    const shown = matching.slice(-SHOWN);
    return html`<section aria-label="Trace">
      <div class="bar">
        <label>Plugin
          <select data-testid="trace-plugin" @change=${(e: Event) => (this.plugin = (e.target as HTMLSelectElement).value)}>
            <option value="">all</option>
            ${plugins.map((p) => html`<option value=${p} ?selected=${p === this.plugin}>${p}</option>`)}
          </select>
        </label>
        <label>Kind
          <select data-testid="trace-kind" @change=${(e: Event) => (this.kind = (e.target as HTMLSelectElement).value)}>
            <option value="">all</option>
            ${KINDS.map((k) => html`<option value=${k} ?selected=${k === this.kind}>${k}</option>`)}
          </select>
        </label>
        <button data-testid="trace-clear" @click=${() => this.playground?.trace.clear()}>Clear</button>
        <span class="muted">${matching.length} records${matching.length > SHOWN ? `, last ${SHOWN} shown` : ''}</span>
      </div>
      <ol data-testid="trace" @scroll=${this._onScroll} aria-live="off">
        ${repeat(
          shown,
          (r) => r.seq,
          (r) => html`<li class=${tone(r)} data-kind=${r.kind} data-plugin=${r.pluginId}>
            <span class="muted">${new Date(r.time).toLocaleTimeString()}</span>
            <span>${r.pluginId}</span>
            <span class="muted">${r.kind}</span>
            <span class="text">${summarize(r)}</span>
          </li>`,
        )}
      </ol>
    </section>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'pp-trace': PpTrace;
  }
}
