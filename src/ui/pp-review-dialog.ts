import { consume } from '@lit/context';
import { LitElement, css, html, nothing } from 'lit';
import { customElement, query, state } from 'lit/decorators.js';
import type { Review } from '../host/plugin-manager.ts';
import type { Playground } from '../host/playground.ts';
import { describePanel } from '../shared/manifest-text.ts';
import { playgroundContext } from './context.ts';
import { shared } from './styles.ts';

/**
 * Shows what a plugin asks for, in plain words, and what its UI panel (if it has one) can and
 * cannot do; resolves true only when the user approves.
 */
@customElement('pp-review-dialog')
export class PpReviewDialog extends LitElement {
  static override styles = [
    shared,
    css`
      dialog {
        border: 1px solid var(--border);
        border-radius: var(--radius);
        background: var(--panel);
        color: var(--text);
        max-width: 32rem;
        padding: 1.2rem;
      }
      dialog::backdrop {
        background: rgb(0 0 0 / 0.4);
      }
      ul {
        padding-left: 1.2rem;
      }
      li.any-host {
        color: var(--bad);
        font-weight: 600;
      }
      .new {
        color: var(--warn);
      }
      .buttons {
        display: flex;
        justify-content: flex-end;
        gap: 0.5rem;
        margin-top: 1rem;
      }
    `,
  ];

  @consume({ context: playgroundContext, subscribe: true })
  playground?: Playground;

  @state() private plugin = '';
  @state() private review?: Review;
  @state() private panel: string[] = [];
  @query('dialog') private dialog!: HTMLDialogElement;
  private resolve?: (approved: boolean) => void;

  /** Opens the dialog; the promise settles when the user approves (true) or not (false). */
  async ask(plugin: string, review: Review): Promise<boolean> {
    this.plugin = plugin;
    this.review = review;
    const record = this.playground?.plugins.list().find((view) => view.record.id === plugin)?.record;
    this.panel = record ? describePanel(record.manifest.ui) : [];
    await this.updateComplete;
    this.dialog.showModal();
    return new Promise((resolve) => (this.resolve = resolve));
  }

  private finish(approved: boolean): void {
    this.resolve?.(approved);
    this.resolve = undefined;
    if (this.dialog.open) this.dialog.close();
  }

  override render() {
    const review = this.review;
    return html`<dialog data-testid="review-dialog" aria-labelledby="review-title" @close=${() => this.finish(false)}>
      <h3 id="review-title">Enable ${this.plugin}?</h3>
      ${
        review
          ? html`<p>This plugin asks to:</p>
              <ul data-testid="review-permissions">
                ${review.lines.map((line) => html`<li class=${line.includes('ANY host') ? 'any-host' : ''}>${line}</li>`)}
              </ul>
              ${
                this.panel.length
                  ? html`<p>It also has a UI panel:</p>
                      <ul data-testid="review-panel">
                        ${this.panel.map((line) => html`<li>${line}</li>`)}
                      </ul>`
                  : nothing
              }
              ${review.added.length ? html`<p class="new" data-testid="review-added">New since you last approved it: ${review.added.join('; ')}</p>` : nothing}
              ${
                review.anyHost
                  ? html`<p class="error-text" data-testid="review-any-host">It may contact any host on the internet. Approve only if you trust it.</p>`
                  : nothing
              }
              <p class="muted">Nothing runs until you approve. Calls outside these permissions are refused and shown in the trace.</p>`
          : nothing
      }
      <div class="buttons">
        <button data-testid="review-cancel" @click=${() => this.finish(false)}>Cancel</button>
        <button class="primary" data-testid="review-approve" @click=${() => this.finish(true)}>Approve and enable</button>
      </div>
    </dialog>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'pp-review-dialog': PpReviewDialog;
  }
}
