import { consume } from '@lit/context';
import { LitElement, css, html, type PropertyValues } from 'lit';
import { customElement, query, state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import type { Playground } from '../host/playground.ts';
import { TRACE_KINDS, type TraceKind, type TraceRecord } from '../shared/protocol.ts';
import { summarize, toJsonLine } from '../shared/trace-format.ts';
import { playgroundContext } from './context.ts';
import { ListenController } from './listen.ts';
import type { PpCodeEditor } from './pp-code-editor.ts';
import { shared } from './styles.ts';
import { TraceWindow, type TraceEdit, type TraceFilter } from './trace-window.ts';
import './pp-code-editor.ts';

/** How many matching records the summary list renders; the JSON view shows them all. */
const SHOWN = 400;

const KINDS: readonly TraceKind[] = TRACE_KINDS;

type TraceView = 'json' | 'summary';
const VIEW_KEY = 'playground.trace-view';

/** A long, append-only log wants none of the structure features. */
const EDITOR_OPTIONS = {
  folding: false,
  wordWrap: 'off',
  renderLineHighlight: 'none',
  occurrencesHighlight: 'off',
  selectionHighlight: false,
  matchBrackets: 'never',
  lineNumbersMinChars: 6,
} as const;

function tone(record: TraceRecord): string {
  if (record.kind === 'error') return 'bad';
  if (record.kind === 'event-result' && record.result === 'error') return 'bad';
  if (record.kind === 'host-call' && record.result.tag === 'err') return 'bad';
  if ((record.kind === 'permission' || record.kind === 'http') && !record.allowed) return 'bad';
  if (record.kind === 'log' && (record.level === 'error' || record.level === 'stderr')) return 'bad';
  if (record.kind === 'log' && record.level === 'warn') return 'warn';
  if (record.kind === 'lifecycle' && (record.step === 'failed' || record.step === 'trapped')) return 'bad';
  return '';
}

function storedView(): TraceView {
  try {
    return localStorage.getItem(VIEW_KEY) === 'summary' ? 'summary' : 'json';
  } catch {
    return 'json'; // storage blocked: the default view
  }
}

/**
 * The live trace, newest at the bottom, filterable by plugin and kind: every record as a line
 * of JSON in a read-only editor, or as a one-line summary. Follows new records unless the user
 * scrolled up; exports what the filter matches as a JSON Lines file.
 */
@customElement('pp-trace')
export class PpTrace extends LitElement {
  static override styles = [
    shared,
    css`
      .bar {
        display: flex;
        gap: 0.5rem;
        align-items: center;
        margin-bottom: 0.5rem;
        flex-wrap: wrap;
      }
      .views {
        display: inline-flex;
      }
      .views button {
        border-radius: 0;
      }
      .views button:first-child {
        border-radius: 6px 0 0 6px;
      }
      .views button:last-child {
        border-radius: 0 6px 6px 0;
        border-left: none;
      }
      .views button[aria-pressed='true'] {
        background: var(--accent);
        color: var(--accent-text, white);
        border-color: var(--accent);
      }
      pp-code-editor {
        height: 26rem;
        border: 1px solid var(--border);
        border-radius: 6px;
        overflow: hidden;
      }
      ol {
        list-style: none;
        margin: 0;
        padding: 0;
        height: 26rem;
        overflow: auto;
        background: var(--code);
        border-radius: 6px;
        font-family: ui-monospace, 'SF Mono', Menlo, Consolas, monospace;
        font-size: 0.78rem;
      }
      li {
        display: grid;
        grid-template-columns: 6.5rem 8rem 6.5rem minmax(0, 1fr);
        gap: 0.5rem;
        padding: 0.1rem 0.5rem;
        border-bottom: 1px solid var(--border);
      }
      li.bad {
        color: var(--bad);
      }
      li.warn {
        color: var(--warn);
      }
      .text {
        white-space: pre-wrap;
        word-break: break-word;
      }
    `,
  ];

  @consume({ context: playgroundContext, subscribe: true })
  playground?: Playground;

  @state() private plugin = '';
  @state() private kind = '';
  @state() private view: TraceView = storedView();
  @state() private revision = 0;
  @query('ol') private list?: HTMLOListElement;
  @query('pp-code-editor') private editor?: PpCodeEditor;

  private readonly window = new TraceWindow(() => true);
  /** Records added since the last frame, for the JSON view. */
  private pending: TraceRecord[] = [];
  /** The JSON view must be rebuilt from the trace (first show, filter change, clear). */
  private stale = true;
  /** What the next render changes in the JSON view. */
  private change?: TraceEdit | { text: string };
  private plugins = new Set<string>();
  private listPinned = true;
  private scheduled = false;

  private readonly _onRecord = (e: Event) => {
    const record = (e as CustomEvent<TraceRecord>).detail;
    this.plugins.add(record.pluginId);
    if (!this.stale) this.pending.push(record);
    this.schedule();
  };

  private readonly _onClear = () => {
    this.restart();
    this.schedule();
  };

  /** The JSON view starts over from the trace's records at the next render. */
  private restart(): void {
    this.plugins = new Set(this.playground?.trace.records().map((r) => r.pluginId));
    this.stale = true;
    this.pending = [];
  }

  protected readonly recordSubscription = new ListenController(this, () => this.playground?.trace, ['record'], this._onRecord);
  protected readonly clearSubscription = new ListenController(this, () => this.playground?.trace, ['clear'], this._onClear);

  // Records arrive in bursts; take them in at most once a frame.
  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    requestAnimationFrame(() => {
      this.scheduled = false;
      this.revision++;
    });
  }

  private get filter(): TraceFilter {
    const { plugin, kind } = this;
    return (r) => (!plugin || r.pluginId === plugin) && (!kind || r.kind === kind);
  }

  override willUpdate(changed: PropertyValues): void {
    if (['playground', 'plugin', 'kind', 'view'].some((key) => changed.has(key))) this.restart();
    const records = this.playground?.trace.records();
    if (this.view !== 'json' || !records) return;
    if (this.stale) {
      this.stale = false;
      this.pending = [];
      this.change = { text: this.window.reset(records, this.filter) };
    } else if (this.pending.length) {
      this.change = this.window.update(this.pending, records[0]?.seq ?? Infinity);
      this.pending = [];
    }
  }

  override updated(): void {
    if (this.view === 'summary') {
      if (this.listPinned && this.list) this.list.scrollTop = this.list.scrollHeight;
      return;
    }
    // Brings the JSON view up to date, following the end if it was in view.
    const { change, editor } = this;
    this.change = undefined;
    if (!change || !editor) return;
    if ('text' in change) {
      editor.value = change.text;
      void editor.updateComplete.then(() => editor.revealLastLine());
      return;
    }
    const follow = editor.atBottom;
    editor.dropLeadingLines(change.drop);
    if (change.append) editor.appendLines(change.append);
    if (follow) editor.revealLastLine();
  }

  private _onListScroll(): void {
    const list = this.list!;
    this.listPinned = list.scrollHeight - list.scrollTop - list.clientHeight < 24;
  }

  private showView(view: TraceView): void {
    this.view = view;
    this.listPinned = true;
    try {
      localStorage.setItem(VIEW_KEY, view);
    } catch {
      // storage blocked: the choice lasts for this page only
    }
  }

  private _export(): void {
    const records = this.playground?.trace.records() ?? [];
    const text = records
      .filter(this.filter)
      .map((r) => `${toJsonLine(r)}\n`)
      .join('');
    const link = document.createElement('a');
    link.href = URL.createObjectURL(new Blob([text], { type: 'application/jsonl' }));
    link.download = `trace-${new Date().toISOString().replace(/[:.]/g, '-')}.jsonl`;
    link.click();
    setTimeout(() => URL.revokeObjectURL(link.href), 0);
  }

  override render() {
    const all = this.playground?.trace.records() ?? [];
    const matching = this.view === 'summary' ? all.filter(this.filter) : undefined;
    const count = matching ? matching.length : this.window.lines;
    return html`<section aria-label="Trace">
      <div class="bar">
        <label
          >Plugin
          <select data-testid="trace-plugin" @change=${(e: Event) => (this.plugin = (e.target as HTMLSelectElement).value)}>
            <option value="">all</option>
            ${[...this.plugins].sort().map((p) => html`<option value=${p} ?selected=${p === this.plugin}>${p}</option>`)}
          </select>
        </label>
        <label
          >Kind
          <select data-testid="trace-kind" @change=${(e: Event) => (this.kind = (e.target as HTMLSelectElement).value)}>
            <option value="">all</option>
            ${KINDS.map((k) => html`<option value=${k} ?selected=${k === this.kind}>${k}</option>`)}
          </select>
        </label>
        <span class="views" role="group" aria-label="View">
          <button data-testid="trace-view-json" aria-pressed=${this.view === 'json'} @click=${() => this.showView('json')}>JSON lines</button>
          <button data-testid="trace-view-summary" aria-pressed=${this.view === 'summary'} @click=${() => this.showView('summary')}>Summary</button>
        </span>
        <button data-testid="trace-clear" @click=${() => this.playground?.trace.clear()}>Clear</button>
        <button data-testid="trace-export" @click=${this._export} title="Download the records the filter matches, one JSON object per line">Export</button>
        <span class="muted" data-testid="trace-count"
          >${count.toLocaleString('en')} records${matching && matching.length > SHOWN ? `, last ${SHOWN} shown` : ''}</span
        >
      </div>
      ${
        this.view === 'json'
          ? html`<pp-code-editor data-testid="trace-json" language="json" read-only .options=${EDITOR_OPTIONS}></pp-code-editor>`
          : html`<ol data-testid="trace" @scroll=${this._onListScroll} aria-live="off">
              ${repeat(
                matching!.slice(-SHOWN),
                (r) => r.seq,
                (r) =>
                  html`<li class=${tone(r)} data-kind=${r.kind} data-plugin=${r.pluginId}>
                    <span class="muted">${new Date(r.time).toLocaleTimeString()}</span>
                    <span>${r.pluginId}</span>
                    <span class="muted">${r.kind}</span>
                    <span class="text">${summarize(r)}</span>
                  </li>`,
              )}
            </ol>`
      }
    </section>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'pp-trace': PpTrace;
  }
}
