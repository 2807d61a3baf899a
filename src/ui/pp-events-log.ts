import { consume } from '@lit/context';
import { Task, TaskStatus } from '@lit/task';
import { LitElement, css, html, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { EventsLogEntry } from '../host/db.ts';
import type { Playground } from '../host/playground.ts';
import { playgroundContext } from './context.ts';
import { FramePacer } from './frame-pacer.ts';
import { ListenController } from './listen.ts';
import { shared } from './styles.ts';

const PAGE_SIZE = 25;
/** The cell shows this much of an error; its title holds all of it. */
const ERROR_CHARS = 160;

function shortError(text: string): string {
  return text.length > ERROR_CHARS ? `${text.slice(0, ERROR_CHARS)}…` : text;
}

/** One plugin's events log, newest first, a page at a time, exportable as JSON. */
@customElement('pp-events-log')
export class PpEventsLog extends LitElement {
  static override styles = [
    shared,
    css`
      .bar {
        display: flex;
        gap: 0.35rem;
        align-items: center;
        flex-wrap: wrap;
        margin: 0.3rem 0;
      }
      .bar .range {
        margin-right: auto;
      }
      .bar button {
        padding: 0.15rem 0.5rem;
      }
      table {
        width: 100%;
        border-collapse: collapse;
        font-size: 0.8rem;
        table-layout: fixed;
      }
      th {
        text-align: left;
        font-weight: normal;
        color: var(--muted);
      }
      th,
      td {
        padding: 0.15rem 0.3rem;
        border-top: 1px solid var(--border);
        overflow: hidden;
        text-overflow: ellipsis;
        white-space: nowrap;
      }
      .num {
        text-align: right;
        font-variant-numeric: tabular-nums;
      }
      .ok {
        color: var(--ok);
      }
      .bad {
        color: var(--bad);
      }
      col.time {
        width: 7.5rem;
      }
      col.result {
        width: 4.5rem;
      }
      col.ms {
        width: 4.5rem;
      }
      col.fuel {
        width: 6.5rem;
      }
    `,
  ];

  @consume({ context: playgroundContext, subscribe: true })
  playground?: Playground;

  @property() pluginId = '';
  @state() private offset = 0;
  @state() private revision = 0;
  @state() private exportError?: string;

  // A busy plugin logs many calls a second: re-read the page at most once a frame, and within
  // the share of the main thread a live view may take.
  private readonly pacer = new FramePacer(() => this.revision++);
  private readonly _onChange = (e: Event) => {
    if ((e as CustomEvent<string>).detail === this.pluginId) this.pacer.request();
  };

  protected readonly subscription = new ListenController(this, () => this.playground?.eventsLog, ['change'], this._onChange);

  private page = new Task(this, {
    task: async ([id, offset]) => {
      const page = await this.playground!.eventsLog.page(id, offset, PAGE_SIZE);
      // Pruning or a clear can leave the page past the end: go to the oldest page still there.
      if (page.entries.length === 0 && offset > 0) this.offset = Math.max(0, Math.floor((page.total - 1) / PAGE_SIZE) * PAGE_SIZE);
      return { ...page, offset };
    },
    args: () => [this.pluginId, this.offset, this.revision] as const,
  });

  override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('pluginId')) {
      this.offset = 0;
      this.exportError = undefined;
    }
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.pacer.cancel();
  }

  private async _onExport(): Promise<void> {
    this.exportError = undefined;
    try {
      const json = await this.playground!.eventsLog.exportJson(this.pluginId);
      const url = URL.createObjectURL(new Blob([json], { type: 'application/json' }));
      const link = document.createElement('a');
      link.href = url;
      link.download = `${this.pluginId}-events-log.json`;
      // Firefox only follows a download link that is in the document.
      document.body.append(link);
      link.click();
      link.remove();
      // Revoking at once can cancel the download before the browser has read the blob.
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (e) {
      this.exportError = `Export failed: ${e instanceof Error ? e.message : String(e)}`;
    }
  }

  private row(entry: EventsLogEntry) {
    const time = new Date(entry.time);
    const tone = entry.result === 'success' ? 'ok' : 'bad';
    return html`<tr data-testid="events-log-row" data-result=${entry.result}>
      <td title=${time.toISOString()}>${time.toLocaleTimeString()}</td>
      <td title=${entry.event}><code>${entry.event}</code></td>
      <td class=${tone}>${entry.result}</td>
      <td class="num">${entry.executionMs.toFixed(1)}</td>
      <td class="num" data-testid="events-log-fuel">${entry.fuel?.toLocaleString('en') ?? '–'}</td>
      <td class="bad" title=${entry.error ?? ''}>${shortError(entry.error ?? '')}</td>
    </tr>`;
  }

  override render() {
    // While the next page loads, the last one stays on screen, with its own range.
    const { entries, total, offset } = this.page.value ?? { entries: [], total: 0, offset: 0 };
    const first = entries.length === 0 ? 0 : offset + 1;
    const last = offset + entries.length;
    return html`<section data-testid="events-log" aria-label="Events log of ${this.pluginId}">
      <div class="bar">
        <span class="range muted" data-testid="events-log-range">entries ${first}–${last} of ${total}</span>
        <button data-testid="events-log-newer" ?disabled=${offset === 0} @click=${() => (this.offset = Math.max(0, offset - PAGE_SIZE))}>Newer</button>
        <button data-testid="events-log-older" ?disabled=${last >= total} @click=${() => (this.offset = offset + PAGE_SIZE)}>Older</button>
        <button data-testid="events-log-export" ?disabled=${total === 0} @click=${this._onExport}>Export JSON</button>
      </div>
      ${
        this.page.status === TaskStatus.ERROR
          ? html`<p class="error-text">Could not read the events log: ${String(this.page.error)}</p>`
          : entries.length === 0
            ? html`<p class="muted">No calls logged yet.</p>`
            : html`<table>
                <colgroup>
                  <col class="time" />
                  <col />
                  <col class="result" />
                  <col class="ms" />
                  <col class="fuel" />
                  <col />
                </colgroup>
                <thead>
                  <tr>
                    <th>Time</th>
                    <th>Event</th>
                    <th>Result</th>
                    <th class="num">ms</th>
                    <th class="num">fuel</th>
                    <th>Error</th>
                  </tr>
                </thead>
                <tbody>
                  ${entries.map((entry) => this.row(entry))}
                </tbody>
              </table>`
      }
      ${this.exportError ? html`<p class="error-text" role="alert">${this.exportError}</p>` : ''}
    </section>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'pp-events-log': PpEventsLog;
  }
}
