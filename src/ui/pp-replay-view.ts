import { consume } from '@lit/context';
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { MAX_COMPARED_LINES } from '../shared/limits.ts';
import type { Playground } from '../host/playground.ts';
import type { ReplayResult } from '../host/scenarios.ts';
import type { CompareRow, Side } from '../shared/scenario-compare.ts';
import { describeExpectation, describeRecord } from '../shared/scenario-compare.ts';
import { playgroundContext } from './context.ts';
import { ListenController } from './listen.ts';
import { shared } from './styles.ts';

const MARK: Record<CompareRow['status'], { sign: string; label: string }> = {
  same: { sign: '=', label: 'the same' },
  changed: { sign: '≠', label: 'changed' },
  missing: { sign: '−', label: 'recorded, not done now' },
  extra: { sign: '+', label: 'new now' },
};

/**
 * A plugin's last replay: the recorded outcomes beside what it did now (results, host calls with
 * their arguments, log lines, fuel where the trace counted it), differences marked, and each
 * expectation of the scenario with whether it held.
 */
@customElement('pp-replay-view')
export class PpReplayView extends LitElement {
  static override styles = [
    shared,
    css`
      table {
        width: 100%;
        border-collapse: collapse;
        table-layout: fixed;
        font-size: 0.85rem;
      }
      th,
      td {
        text-align: left;
        vertical-align: top;
        padding: 0.2rem 0.4rem;
        border-bottom: 1px solid var(--border);
        overflow-wrap: anywhere;
      }
      th.mark,
      td.mark {
        width: 1.6rem;
        text-align: center;
      }
      tr.changed td {
        background: color-mix(in srgb, var(--warn) 12%, transparent);
      }
      tr.missing td {
        background: color-mix(in srgb, var(--bad) 10%, transparent);
      }
      tr.extra td {
        background: color-mix(in srgb, var(--ok) 12%, transparent);
      }
      .fuel {
        color: var(--muted);
        white-space: nowrap;
      }
      .fuel.differs {
        color: var(--bad);
        font-weight: 600;
      }
      ul {
        padding-left: 1.2rem;
        font-size: 0.85rem;
      }
      li.failed {
        color: var(--bad);
      }
    `,
  ];

  @consume({ context: playgroundContext, subscribe: true })
  playground?: Playground;

  @property() pluginId = '';

  protected readonly subscription = new ListenController(
    this,
    () => this.playground?.scenarios,
    ['change'],
    () => this.requestUpdate(),
  );

  /** The replay shown: what `npm run plugin-test` reads once `data-state` is `done`. */
  get result(): Readonly<ReplayResult> | undefined {
    return this.pluginId ? this.playground?.scenarios.lastReplay(this.pluginId) : undefined;
  }

  /** `running`, `done` or `none`: when a replay has finished, for tests and the runner to wait on. */
  protected override updated(): void {
    const replaying = Boolean(this.pluginId && this.playground?.scenarios.isReplaying(this.pluginId));
    this.dataset.state = replaying ? 'running' : this.result ? 'done' : 'none';
  }

  private side(side: Side | undefined, row: CompareRow) {
    if (!side) return html`<td></td>`;
    const fuel =
      side.fuel === undefined ? nothing : html` <span class="fuel ${row.fuelDiffers ? 'differs' : ''}">fuel ${side.fuel.toLocaleString('en')}</span>`;
    return html`<td><code>${side.text}</code>${fuel}</td>`;
  }

  private renderRows(result: Readonly<ReplayResult>) {
    const { rows, notCompared } = result.comparison;
    const more = notCompared.recorded + notCompared.replayed;
    return html`<table data-testid="replay-table">
        <thead>
          <tr>
            <th>Recorded</th>
            <th class="mark"></th>
            <th>Now (${result.pluginId} ${result.version})</th>
          </tr>
        </thead>
        <tbody>
          ${rows.map(
            (row) =>
              html`<tr class=${row.status} data-status=${row.status} data-fuel=${row.fuelDiffers ? 'differs' : 'same'}>
                ${this.side(row.recorded, row)}
                <td class="mark" title=${MARK[row.status].label} aria-label=${MARK[row.status].label}>${MARK[row.status].sign}</td>
                ${this.side(row.replayed, row)}
              </tr>`,
          )}
        </tbody>
      </table>
      ${more ? html`<p class="muted">${more} more outcomes were not compared (at most ${MAX_COMPARED_LINES} on each side are aligned).</p>` : nothing}`;
  }

  override render() {
    const scenarios = this.playground?.scenarios;
    const replaying = Boolean(this.pluginId && scenarios?.isReplaying(this.pluginId));
    const result = this.result;
    if (replaying) return html`<p class="muted" data-testid="replay-summary">Replaying a scenario against ${this.pluginId}…</p>`;
    if (!result) {
      return html`<p class="muted" data-testid="replay-summary">
        Record a plugin's events with <b>● Record</b> on its card, then replay them against a new build with <b>Replay recording</b> or <b>Replay file…</b>.
      </p>`;
    }
    const total = result.checks.length;
    const steps = result.scenario.steps.length;
    const summary =
      `${steps} ${steps === 1 ? 'step' : 'steps'} of ${result.source} replayed against ${result.pluginId} ${result.version}: ` +
      `${result.passed} of ${total} expectations hold${result.failed ? `, ${result.failed} ${result.failed === 1 ? 'does' : 'do'} not` : ''}.`;
    return html`
      <p data-testid="replay-summary" class=${result.failed ? 'error-text' : ''}>${summary}</p>
      ${
        result.notes.length
          ? html`<ul data-testid="replay-notes">
              ${result.notes.map((note) => html`<li>${note}</li>`)}
            </ul>`
          : nothing
      }
      ${this.renderRows(result)}
      <details ?open=${result.failed > 0}>
        <summary>Expectations</summary>
        <ul data-testid="replay-checks">
          ${result.checks.map(
            (check) =>
              html`<li class=${check.matched ? 'passed' : 'failed'} data-result=${check.matched ? 'passed' : 'failed'}>
                ${check.matched ? '✓' : '✗'} <code>${describeExpectation(check.expectation)}</code>
                ${check.matched || check.closest.length === 0 ? nothing : html`<br /><span class="muted">closest: ${check.closest.map(describeRecord).join(' · ')}</span>`}
              </li>`,
          )}
        </ul>
      </details>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'pp-replay-view': PpReplayView;
  }
}
