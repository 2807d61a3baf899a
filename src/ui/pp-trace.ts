import { consume } from '@lit/context';
import { LitElement, css, html, type PropertyValues } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import type { Playground } from '../host/playground.ts';
import { SUMMARY_TAIL_QUIET_MS } from '../shared/limits.ts';
import { TRACE_KINDS, type TraceKind } from '../shared/trace-types.ts';
import { toJsonLine } from '../shared/trace-format.ts';
import { playgroundContext } from './context.ts';
import { ListenController } from './listen.ts';
import type { PpCodeEditor } from './pp-code-editor.ts';
import type { PpTraceList } from './pp-trace-list.ts';
import { shared } from './styles.ts';
import { FramePacer } from './frame-pacer.ts';
import { TraceWindow, type TraceChange, type TraceFilter } from './trace-window.ts';
import './pp-code-editor.ts';
import './pp-trace-list.ts';

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
  // Each of these reworks lines on every batch of records: bracket pairs parse the text they
  // touch, and the rest decorate what is drawn. Records are one-line JSON; none of it helps.
  bracketPairColorization: { enabled: false },
  guides: { bracketPairs: false, indentation: false, highlightActiveIndentation: false },
  unicodeHighlight: { ambiguousCharacters: false, invisibleCharacters: false, nonBasicASCII: false },
  renderValidationDecorations: 'off',
  links: false,
  colorDecorators: false,
  stickyScroll: { enabled: false },
} as const;

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
    `,
  ];

  @consume({ context: playgroundContext, subscribe: true })
  playground?: Playground;

  /** Shown (its tab open). Hidden, it takes in nothing and draws nothing; shown again, it starts from the newest records. */
  @property({ type: Boolean }) active = true;
  @state() private plugin = '';
  @state() private kind = '';
  @state() private view: TraceView = storedView();
  @state() private revision = 0;
  @query('pp-code-editor') private editor?: PpCodeEditor;
  @query('pp-trace-list') private list?: PpTraceList;

  private readonly window = new TraceWindow(() => true);
  /** Line numbers count the matching records, the view holding only some of them. */
  private readonly editorOptions = { ...EDITOR_OPTIONS, lineNumbers: (line: number) => String(this.window.firstLine + line) };
  /** The newest record the view has taken in. */
  private drawnSeq = 0;
  /** The view must be rebuilt from the trace (first show, filter or view change, clear). */
  private stale = true;
  /** What the next render changes in the JSON view. */
  private change?: TraceChange;
  /** Whether the JSON view was at its end when it took in the latest records: it keeps following it then. */
  private follows = true;
  /** The summary list goes back to the end at the next render. */
  private refollow = false;
  private plugins = new Set<string>();

  // The trace tells at most once a frame; the pacer spaces draws out further while they are costly.
  private readonly pacer = new FramePacer(() => this.revision++);
  private readonly _onRecords = () => {
    if (!this.active) return;
    this.pacer.request();
    this.quiet = false;
    clearTimeout(this.quieting);
    this.quieting = setTimeout(() => {
      this.quiet = true;
      this.requestUpdate();
    }, SUMMARY_TAIL_QUIET_MS);
  };
  /** No records arrived for a moment (not reactive: a flood's first record must not force a draw). */
  private quiet = true;
  private quieting?: ReturnType<typeof setTimeout>;

  private readonly _onClear = () => {
    this.restart();
    this.revision++;
  };

  /** The view starts over from the trace's records at the next render. */
  private restart(): void {
    this.stale = true;
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.pacer.cancel();
    clearTimeout(this.quieting);
  }

  protected readonly recordSubscription = new ListenController(this, () => this.playground?.trace, ['records'], this._onRecords);
  protected readonly clearSubscription = new ListenController(this, () => this.playground?.trace, ['clear'], this._onClear);

  private get filter(): TraceFilter {
    const { plugin, kind } = this;
    return (r) => (!plugin || r.pluginId === plugin) && (!kind || r.kind === kind);
  }

  override willUpdate(changed: PropertyValues): void {
    if (['playground', 'plugin', 'kind', 'view', 'active'].some((key) => changed.has(key))) this.restart();
    if (!this.active) {
      this.pacer.cancel();
      return;
    }
    const records = this.playground?.trace.records();
    if (!records) return;
    const json = this.view === 'json';
    const newest = records.at(-1)?.seq ?? this.drawnSeq;
    if (this.stale) {
      this.stale = false;
      this.plugins = new Set(records.map((r) => r.pluginId));
      this.window.reset(records, this.filter);
      if (json) this.change = { text: this.window.text() };
      else this.refollow = true;
    } else if (newest > this.drawnSeq) {
      const added = this.playground!.trace.since(this.drawnSeq);
      for (const record of added) this.plugins.add(record.pluginId);
      const oldest = records[0]?.seq ?? Infinity;
      if (json) {
        // Whether the reader is at the end decides how many lines the view keeps, so it is read here.
        this.follows = this.editor?.atBottom ?? true;
        this.change = this.window.update(added, oldest, this.follows);
      } else this.window.take(added, oldest);
    }
    this.drawnSeq = newest;
  }

  override updated(): void {
    if (this.view === 'summary') {
      if (this.refollow) this.list?.follow();
      this.refollow = false;
      return;
    }
    // Brings the JSON view up to date, following the end if it was in view.
    const { change, editor } = this;
    this.change = undefined;
    if (!change || !editor) return;
    if ('text' in change) {
      editor.replaceAll(change.text);
      void editor.updateComplete.then(() => editor.revealLastLine());
      return;
    }
    editor.dropLeadingLines(change.drop);
    if (change.append) editor.appendLines(change.append);
    if (this.follows) editor.revealLastLine();
  }

  /** The reader reached the JSON view's first line: older records, if any, join above it. */
  private readonly _onScrolledToStart = () => {
    const older = this.window.older();
    if (older) this.editor?.insertLeadingLines(older.text, older.lines);
  };

  private showView(view: TraceView): void {
    this.view = view;
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
    const count = this.window.lines;
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
        <span class="muted" data-testid="trace-count">${count.toLocaleString('en')} records</span>
      </div>
      ${
        this.view === 'json'
          ? html`<pp-code-editor
              data-testid="trace-json"
              language="json"
              read-only
              .options=${this.editorOptions}
              @scrolled-to-start=${this._onScrolledToStart}
            ></pp-code-editor>`
          : html`<pp-trace-list .records=${this.window.records} .revision=${this.revision} ?quiet=${this.quiet}></pp-trace-list>`
      }
    </section>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'pp-trace': PpTrace;
  }
}
