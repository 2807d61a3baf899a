import { consume } from '@lit/context';
import { LitElement, css, html } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import type { PluginView } from '../host/plugin-manager.ts';
import type { Playground } from '../host/playground.ts';
import { playgroundContext } from './context.ts';
import { ListenController } from './listen.ts';
import { shared } from './styles.ts';
import './pp-plugin-card.ts';

/** Installed plugins in load order; events are dispatched in this order. */
@customElement('pp-plugin-list')
export class PpPluginList extends LitElement {
  static override styles = [
    shared,
    css`
      ol {
        list-style: none;
        margin: 0;
        padding: 0;
        display: grid;
        gap: 0.6rem;
      }
      li {
        display: block;
      }
    `,
  ];

  @consume({ context: playgroundContext, subscribe: true })
  playground?: Playground;

  @state() private views: PluginView[] = [];

  private readonly _onChange = () => {
    this.views = this.playground?.plugins.list() ?? [];
  };

  protected readonly subscription = new ListenController(this, () => this.playground?.plugins, ['change'], this._onChange, true);

  override render() {
    return html`<section class="panel" aria-labelledby="plugins-title">
      <h2 id="plugins-title">Plugins <span class="muted">(load order)</span></h2>
      ${
        this.views.length === 0
          ? html`<p class="muted" data-testid="no-plugins">No plugins yet. Add one above.</p>`
          : html`<ol data-testid="plugin-list">
              ${repeat(
                this.views,
                (view) => view.record.id,
                (view, i) =>
                  html`<li>
                    <pp-plugin-card
                      data-testid="plugin-${view.record.id}"
                      data-state=${view.record.enabled ? (view.state === 'stopped' ? 'restarting' : view.state) : 'installed'}
                      data-review=${view.needsReview ? 'needed' : 'done'}
                      .view=${view}
                      ?first=${i === 0}
                      ?last=${i === this.views.length - 1}
                    ></pp-plugin-card>
                  </li>`,
              )}
            </ol>`
      }
    </section>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'pp-plugin-list': PpPluginList;
  }
}
