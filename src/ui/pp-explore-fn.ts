import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { Explorer } from '../host/explore/explorer.ts';
import { MAX_EXPLORE_RESULT_CHARS } from '../shared/limits.ts';
import { fieldInput, initialText, readField, shapeHint } from '../shared/wit/fields.ts';
import { signature, type WitFunction } from '../shared/wit/model.ts';
import { formatValue } from '../shared/wit/values.ts';
import { shared } from './styles.ts';

function clipped(text: string): string {
  return text.length <= MAX_EXPLORE_RESULT_CHARS
    ? text
    : `${text.slice(0, MAX_EXPLORE_RESULT_CHARS)}… [${text.length - MAX_EXPLORE_RESULT_CHARS} more characters]`;
}

/** One exported function: a field per parameter, a Call button, and the last call's result. */
@customElement('pp-explore-fn')
export class PpExploreFn extends LitElement {
  static override styles = [
    shared,
    css`
      :host {
        border-top: 1px solid var(--border);
        padding: 0.6rem 0;
      }
      .params {
        display: grid;
        grid-template-columns: max-content minmax(0, 1fr);
        gap: 0.35rem 0.6rem;
        align-items: start;
        margin: 0.5rem 0;
      }
      label {
        font-family: ui-monospace, 'SF Mono', Menlo, Consolas, monospace;
        font-size: 0.85em;
        padding-top: 0.35rem;
      }
      textarea {
        font:
          0.85em ui-monospace,
          'SF Mono',
          Menlo,
          Consolas,
          monospace;
        width: 100%;
        min-height: 2.4rem;
        color: var(--text);
        background: var(--bg);
        border: 1px solid var(--border);
        border-radius: 6px;
        padding: 0.3rem 0.5rem;
      }
      .hint {
        display: block;
        font-size: 0.8em;
        overflow-wrap: anywhere;
      }
    `,
  ];

  @property({ attribute: false }) explorer?: Explorer;
  @property() componentId = '';
  /** `<interface>#<function>`, or the function's name at the root. */
  @property() key = '';
  @property({ attribute: false }) fn?: WitFunction;

  @state() private values: Array<string | boolean> = [];
  @state() private busy = false;
  @state() private outcome?: { ok: true; text: string; durationMs: number } | { ok: false; error: string };

  override willUpdate(): void {
    if (this.fn && this.values.length !== this.fn.params.length) {
      this.values = this.fn.params.map((p) => (fieldInput(p.type) === 'checkbox' ? false : initialText(p.type)));
    }
  }

  private setValue(i: number, value: string | boolean): void {
    this.values = this.values.map((v, j) => (j === i ? value : v));
  }

  private async _onCall(e: Event): Promise<void> {
    e.preventDefault();
    if (!this.fn || !this.explorer || this.busy) return;
    const args: unknown[] = [];
    for (const [i, param] of this.fn.params.entries()) {
      const checked = readField(param.type, this.values[i]!, param.name);
      if (!checked.ok) {
        this.outcome = { ok: false, error: `Not called: ${checked.error}.` };
        return;
      }
      args.push(checked.value);
    }
    this.busy = true;
    try {
      const report = await this.explorer.call(this.componentId, this.key, args);
      const text = (value: unknown) => (this.fn?.result ? clipped(formatValue(value, 2)) : '(it returns nothing)');
      this.outcome = report.ok ? { ok: true, text: text(report.value), durationMs: report.durationMs } : { ok: false, error: report.error };
    } finally {
      this.busy = false;
    }
  }

  private field(i: number) {
    const param = this.fn!.params[i]!;
    const id = `p${i}`;
    const kind = fieldInput(param.type);
    const value = this.values[i];
    const input =
      kind === 'checkbox'
        ? html`<input id=${id} type="checkbox" .checked=${value === true} @change=${(e: Event) => this.setValue(i, (e.target as HTMLInputElement).checked)} />`
        : kind === 'text'
          ? html`<input id=${id} .value=${String(value ?? '')} @input=${(e: Event) => this.setValue(i, (e.target as HTMLInputElement).value)} />`
          : html`<textarea
              id=${id}
              spellcheck="false"
              .value=${String(value ?? '')}
              @input=${(e: Event) => this.setValue(i, (e.target as HTMLTextAreaElement).value)}
            ></textarea>`;
    return html`<label for=${id}>${param.name}</label>
      <div>
        ${input}
        <span class="hint muted" data-testid="param-shape">${kind === 'json' ? `JSON: ${shapeHint(param.type)}` : shapeHint(param.type)}</span>
      </div>`;
  }

  override render() {
    if (!this.fn) return nothing;
    return html`<form data-testid="export-fn" data-name=${this.key} @submit=${this._onCall}>
      <code>${this.key.includes('#') ? html`<span class="muted">${this.key.slice(0, this.key.indexOf('#') + 1)}</span>` : nothing}${signature(this.fn)}</code>
      ${this.fn.params.length ? html`<div class="params">${this.fn.params.map((_, i) => this.field(i))}</div>` : nothing}
      <div class="row" style="margin-top:0.4rem">
        <button class="primary" type="submit" data-testid="call" ?disabled=${this.busy}>${this.busy ? 'Calling…' : 'Call'}</button>
        ${this.outcome?.ok ? html`<span class="muted" data-testid="call-duration">returned in ${this.outcome.durationMs.toFixed(2)} ms</span>` : nothing}
      </div>
      ${this.outcome?.ok ? html`<pre data-testid="call-result">${this.outcome.text}</pre>` : nothing}
      ${this.outcome && !this.outcome.ok ? html`<p class="error-text" role="alert" data-testid="call-error">${this.outcome.error}</p>` : nothing}
    </form>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'pp-explore-fn': PpExploreFn;
  }
}
