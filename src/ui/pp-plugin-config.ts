import { consume } from '@lit/context';
import { Task } from '@lit/task';
import { LitElement, css, html } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { Playground } from '../host/playground.ts';
import { playgroundContext } from './context.ts';
import { ListenController } from './listen.ts';
import { shared } from './styles.ts';

/** One plugin's config entries, live; editable the way an admin edits plugin settings. */
@customElement('pp-plugin-config')
export class PpPluginConfig extends LitElement {
  static override styles = [
    shared,
    css`
      table {
        width: 100%;
        border-collapse: collapse;
        margin: 0.3rem 0;
      }
      td {
        border-top: 1px solid var(--border);
        padding: 0.2rem 0.3rem;
        word-break: break-all;
      }
      form {
        display: flex;
        gap: 0.3rem;
      }
      form input {
        flex: 1;
      }
    `,
  ];

  @consume({ context: playgroundContext, subscribe: true })
  playground?: Playground;

  @property() pluginId = '';
  @state() private revision = 0;
  /** Why the last write was refused (a key, value or quota past its limit). */
  @state() private problem?: string;

  private readonly _onChange = (e: Event) => {
    if ((e as CustomEvent<string>).detail === this.pluginId) this.revision++;
  };

  protected readonly subscription = new ListenController(this, () => this.playground?.config, ['change'], this._onChange);

  private entries = new Task(this, {
    task: ([id]) => this.playground!.config.entries(id!),
    args: () => [this.pluginId, this.revision] as const,
  });

  private async _onSubmit(e: SubmitEvent): Promise<void> {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const data = new FormData(form);
    const key = String(data.get('key') ?? '').trim();
    if (!key) return;
    this.problem = undefined;
    try {
      // The same rules as a plugin's set-config: the store refuses, saying why.
      await this.playground!.config.set(this.pluginId, key, String(data.get('value') ?? ''));
      form.reset();
    } catch (e) {
      this.problem = e instanceof Error ? e.message : String(e);
    }
  }

  override render() {
    return html`
      ${this.entries.render({
        complete: (rows) =>
          rows.length === 0
            ? html`<p class="muted" data-testid="config-empty">No config entries.</p>`
            : html`<table data-testid="config-table">
                ${rows.map(
                  ([key, value]) =>
                    html`<tr data-key=${key}>
                      <td><code>${key}</code></td>
                      <td data-testid="config-value">${value}</td>
                      <td><button title="Delete" @click=${() => this.playground!.config.delete(this.pluginId, key)}>✕</button></td>
                    </tr>`,
                )}
              </table>`,
      })}
      <form @submit=${this._onSubmit}>
        <input name="key" placeholder="key" aria-label="Config key" />
        <input name="value" placeholder="value" aria-label="Config value" />
        <button>Set</button>
      </form>
      ${this.problem ? html`<p class="error-text" role="alert" data-testid="config-error">${this.problem}</p>` : ''}
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'pp-plugin-config': PpPluginConfig;
  }
}
