import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { Explorer } from '../host/explore/explorer.ts';
import { shapeHint } from '../shared/wit/fields.ts';
import { signature, type WitFunction } from '../shared/wit/model.ts';
import { formatValue, hasZero, zeroValue } from '../shared/wit/values.ts';
import { shared } from './styles.ts';

/** One stubbed import: what it returns (its zero value until the user sets one, as JSON). */
@customElement('pp-explore-stub')
export class PpExploreStub extends LitElement {
  static override styles = [
    shared,
    css`
      :host {
        border-top: 1px solid var(--border);
        padding: 0.5rem 0;
      }
      textarea {
        font:
          0.85em ui-monospace,
          'SF Mono',
          Menlo,
          Consolas,
          monospace;
        width: 100%;
        min-height: 2.2rem;
        color: var(--text);
        background: var(--bg);
        border: 1px solid var(--border);
        border-radius: 6px;
        padding: 0.3rem 0.5rem;
        margin-top: 0.3rem;
      }
      .hint {
        font-size: 0.8em;
        overflow-wrap: anywhere;
      }
    `,
  ];

  @property({ attribute: false }) explorer?: Explorer;
  @property() componentId = '';
  @property() key = '';
  @property({ attribute: false }) fn?: WitFunction;

  @state() private text?: string;
  @state() private message?: { ok: boolean; text: string };

  private get stored(): string {
    return this.explorer?.get(this.componentId)?.stubs[this.key] ?? '';
  }

  private async save(text: string): Promise<void> {
    if (!this.explorer) return;
    const checked = await this.explorer.setStub(this.componentId, this.key, text);
    if (!checked.ok) {
      this.message = { ok: false, text: `Not set: ${checked.error}.` };
      return;
    }
    this.text = undefined;
    this.message = { ok: true, text: text.trim() ? 'Set: calls return this value.' : 'Cleared: calls return the zero value.' };
  }

  override render() {
    const fn = this.fn;
    if (!fn) return nothing;
    const result = fn.result;
    const zero = result && hasZero(result) ? formatValue(zeroValue(result)) : undefined;
    const label = `Value ${this.key} returns`;
    return html`<div data-testid="import-stub" data-name=${this.key}>
      <code><span class="muted">${this.key.includes('#') ? this.key.slice(0, this.key.indexOf('#') + 1) : ''}</span>${signature(fn)}</code>
      ${
        result
          ? html`<textarea
                aria-label=${label}
                data-testid="stub-value"
                spellcheck="false"
                placeholder=${zero === undefined ? 'no zero value: set one' : `zero value: ${zero}`}
                .value=${this.text ?? this.stored}
                @input=${(e: Event) => (this.text = (e.target as HTMLTextAreaElement).value)}
              ></textarea>
              <div class="row">
                <button data-testid="stub-set" @click=${() => this.save(this.text ?? this.stored)}>Set</button>
                <button data-testid="stub-clear" ?disabled=${!this.stored} @click=${() => this.save('')}>Use zero value</button>
                <span class="hint muted">JSON: ${shapeHint(result)}</span>
              </div>`
          : html`<p class="muted" style="margin:0.2rem 0 0">Returns nothing; its calls are recorded in the trace.</p>`
      }
      ${this.message ? html`<p class=${this.message.ok ? 'muted' : 'error-text'} role=${this.message.ok ? 'status' : 'alert'} data-testid="stub-message">${this.message.text}</p>` : nothing}
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'pp-explore-stub': PpExploreStub;
  }
}
