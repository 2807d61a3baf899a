import { LitElement, css, html } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import { SUMMARY_TAIL_ROWS } from '../shared/limits.ts';
import type { TraceRecord } from '../shared/trace-types.ts';
import { summarize } from '../shared/trace-format.ts';
import { shared } from './styles.ts';

/** Every row is this tall (px), so the row at a scroll position is a division away. */
const ROW_PX = 20;
/** Rows drawn beyond each edge of the view, so a scroll shows no gap before the next draw. */
const OVERSCAN = 10;
/** The list's height before it is first measured: about its CSS height, rounded up. */
const FIRST_HEIGHT_PX = 480;
/** How close to the end (px) still counts as at the end: the list follows new records from there. */
const FOLLOW_SLACK_PX = 24;

interface Row {
  tone: string;
  time: string;
  text: string;
}

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

/** A record's row text, made once: records never change, and rows are drawn again and again. */
const rows = new WeakMap<TraceRecord, Row>();

function rowOf(record: TraceRecord): Row {
  let row = rows.get(record);
  if (!row) {
    row = { tone: tone(record), time: new Date(record.time).toLocaleTimeString(), text: summarize(record) };
    rows.set(record, row);
  }
  return row;
}

/**
 * The trace as one-line summaries, newest at the bottom, following the end unless scrolled up.
 * However many records there are, it draws the rows in view; while `quiet`, also the last few
 * hundred, so find-in-page and screen readers reach them. (Drawing hundreds of new rows on
 * every update of a flood would take the main thread from host calls.)
 */
@customElement('pp-trace-list')
export class PpTraceList extends LitElement {
  static override styles = [
    shared,
    css`
      .scroller {
        height: 26rem;
        overflow: auto;
        background: var(--code);
        border-radius: 6px;
        font-family: ui-monospace, 'SF Mono', Menlo, Consolas, monospace;
        font-size: 0.78rem;
        contain: strict;
      }
      ol {
        list-style: none;
        margin: 0;
        padding: 0;
        position: relative;
      }
      li {
        position: absolute;
        left: 0;
        right: 0;
        height: ${ROW_PX}px;
        line-height: ${ROW_PX - 1}px;
        display: grid;
        grid-template-columns: 6.5rem 8rem 6.5rem minmax(0, 1fr);
        gap: 0.5rem;
        padding: 0 0.5rem;
        border-bottom: 1px solid var(--border);
        white-space: nowrap;
      }
      li > span {
        overflow: hidden;
        text-overflow: ellipsis;
      }
      li.bad {
        color: var(--bad);
      }
      li.warn {
        color: var(--warn);
      }
    `,
  ];

  /** The records to list, oldest first. The owner may change the array in place and bump `revision`. */
  @property({ attribute: false }) records: readonly TraceRecord[] = [];
  @property({ type: Number }) revision = 0;
  @state() private viewTop = 0;
  @state() private viewHeight = FIRST_HEIGHT_PX;
  @query('.scroller') private scroller?: HTMLElement;
  /** At the end: new records scroll the list. */
  private following = true;
  /** Records stopped arriving for a moment: the last SUMMARY_TAIL_ROWS are drawn too. */
  @property({ type: Boolean }) quiet = false;

  private readonly resize = new ResizeObserver(([entry]) => {
    if (entry) this.viewHeight = entry.contentRect.height;
  });

  /** Back at the end, and following again (a new view or filter). */
  follow(): void {
    this.following = true;
    this.requestUpdate();
  }

  override connectedCallback(): void {
    super.connectedCallback();
    // Back in the page after a disconnect: measure the view again.
    if (this.scroller) this.resize.observe(this.scroller);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.resize.disconnect();
  }

  override firstUpdated(): void {
    this.resize.observe(this.scroller!);
  }

  private _onScroll(): void {
    const scroller = this.scroller!;
    const following = scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight < FOLLOW_SLACK_PX;
    // Leaving the end changes what is drawn even when viewTop keeps its value (0 at the top).
    if (following !== this.following) this.requestUpdate();
    this.following = following;
    // While following, where the view is follows from the count alone.
    if (!following) this.viewTop = scroller.scrollTop;
  }

  /** Which rows to draw: those in view and a few around them, and when quiet the last SUMMARY_TAIL_ROWS. */
  private drawn(): number[] {
    const count = this.records.length;
    const top = this.following ? Math.max(0, count * ROW_PX - this.viewHeight) : this.viewTop;
    const first = Math.max(0, Math.floor(top / ROW_PX) - OVERSCAN);
    const last = Math.min(count, Math.ceil((top + this.viewHeight) / ROW_PX) + OVERSCAN);
    // The tail starts where the view ends unless it is quiet: then only the view is drawn.
    const tail = this.quiet ? Math.max(0, count - SUMMARY_TAIL_ROWS) : last;
    const end = this.quiet ? count : last;
    const indices: number[] = [];
    for (let i = first; i < Math.min(last, tail); i++) indices.push(i);
    for (let i = tail; i < end; i++) indices.push(i);
    return indices;
  }

  override render() {
    const { records } = this;
    return html`<div class="scroller" data-testid="trace" @scroll=${this._onScroll} aria-live="off">
      <ol style="height: ${records.length * ROW_PX}px">
        ${repeat(
          this.drawn(),
          (i) => records[i]!.seq,
          (i) => {
            const record = records[i]!;
            const row = rowOf(record);
            return html`<li class=${row.tone} data-kind=${record.kind} data-plugin=${record.pluginId} style="top: ${i * ROW_PX}px" title=${row.text}>
              <span class="muted">${row.time}</span>
              <span>${record.pluginId}</span>
              <span class="muted">${record.kind}</span>
              <span>${row.text}</span>
            </li>`;
          },
        )}
      </ol>
    </div>`;
  }

  override updated(): void {
    if (this.following && this.scroller) this.scroller.scrollTop = this.scroller.scrollHeight;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'pp-trace-list': PpTraceList;
  }
}
