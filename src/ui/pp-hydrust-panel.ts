import { consume } from '@lit/context';
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { Playground } from '../host/playground.ts';
import { toJson } from '../shared/trace-format.ts';
import { playgroundContext } from './context.ts';
import { ListenController } from './listen.ts';
import { shared } from './styles.ts';

interface HydrustEvent {
  payload?: { tag: string; val?: { tag: string; val?: unknown } };
}

/** Sends Hydrust core events to a site-provider and lists what it publishes. */
@customElement('pp-hydrust-panel')
export class PpHydrustPanel extends LitElement {
  static override styles = [
    shared,
    css`
      form {
        display: flex;
        flex-wrap: wrap;
        gap: 0.3rem;
        margin-top: 0.4rem;
      }
      form input {
        flex: 1 1 8rem;
      }
      li {
        overflow-wrap: anywhere;
      }
      ol {
        margin: 0.4rem 0 0;
        padding-left: 1.2rem;
        font-size: 0.85rem;
      }
      .tag {
        font-weight: 600;
      }
    `,
  ];

  @consume({ context: playgroundContext, subscribe: true })
  playground?: Playground;

  @property() pluginId = '';
  @property({ type: Boolean }) enabled = false;
  @state() private results: readonly unknown[] = [];

  /** Refreshes on connect, and when this provider (the event's detail) published something. */
  private readonly _onPublished = (e: Event) => {
    if (e instanceof CustomEvent && e.detail !== this.pluginId) return;
    this.results = [...(this.playground?.dispatcher.publishedBy(this.pluginId) ?? [])];
  };

  protected readonly subscription = new ListenController(this, () => this.playground?.dispatcher, ['published'], this._onPublished, true);

  private send(kind: 'intent-resolve' | 'browser-observed' | 'captcha-solved') {
    return (e: SubmitEvent) => {
      e.preventDefault();
      const input = (e.target as HTMLFormElement).elements.namedItem('value') as HTMLInputElement;
      if (input.value.trim()) void this.playground!.dispatcher.sendCoreEvent(this.pluginId, kind, input.value.trim());
    };
  }

  private describe(event: unknown) {
    const payload = (event as HydrustEvent).payload;
    const inner = payload?.val;
    return html`<span class="tag">${payload?.tag}:${inner?.tag}</span> ${toJson(inner?.val)}`;
  }

  override render() {
    return html`
      <form data-testid="hydrust-resolve" @submit=${this.send('intent-resolve')}>
        <input name="value" type="url" placeholder="https://… a page to resolve" aria-label="URL to resolve" ?disabled=${!this.enabled} />
        <button ?disabled=${!this.enabled}>Resolve</button>
      </form>
      <form data-testid="hydrust-observed" @submit=${this.send('browser-observed')}>
        <input name="value" placeholder="what the browser observed" aria-label="Browser observed" ?disabled=${!this.enabled} />
        <button ?disabled=${!this.enabled}>Browser observed</button>
      </form>
      <form data-testid="hydrust-captcha" @submit=${this.send('captcha-solved')}>
        <input name="value" placeholder="captcha token" aria-label="Captcha token" ?disabled=${!this.enabled} />
        <button ?disabled=${!this.enabled}>Captcha solved</button>
      </form>
      ${
        this.results.length
          ? html`<p class="muted" style="margin:0.5rem 0 0">Published:</p>
              <ol data-testid="hydrust-results">
                ${this.results.map((r) => html`<li>${this.describe(r)}</li>`)}
              </ol>`
          : nothing
      }
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'pp-hydrust-panel': PpHydrustPanel;
  }
}
