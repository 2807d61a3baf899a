import { consume } from '@lit/context';
import { LitElement, css, html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import type { Playground } from '../host/playground.ts';
import type { Limits } from '../host/settings.ts';
import { playgroundContext } from './context.ts';
import { shared } from './styles.ts';
import './pp-plugin-slot.ts';

const FIELDS: Array<[keyof Limits, string, string]> = [
  ['fuel', 'Fuel per call: SoundTime modules', "SoundTime's PLUGIN_FUEL_LIMIT. Operators are counted as wasmtime counts them; a call that runs out traps."],
  [
    'componentFuel',
    'Fuel per call: components',
    'Counted the same way. A JS engine interprets the plugin: a simple event costs QuickJS ~150k, StarlingMonkey ~10 M.',
  ],
  ['timeLimitMs', 'Time per call (ms)', 'Guest time (host calls not counted), for what fuel does not count; past it the worker is terminated.'],
  ['memoryMiB', 'Memory per plugin (MiB)', 'The maximum of every core module memory, applied before it is compiled.'],
  ['maxWasmMiB', 'Largest component (MiB)', 'Checked before the file is read.'],
  ['httpTimeoutSecs', 'HTTP timeout (s)', 'For http-get and http-post.'],
  ['httpMaxMiB', 'Largest HTTP response (MiB)', 'Cut off while streaming.'],
  ['killsBeforeDisable', 'Kills in a row before disabling', 'A plugin killed this many times in a row is disabled.'],
];

/** The limits, editable and persisted; they apply to the next call and the next worker start. */
@customElement('pp-settings')
export class PpSettings extends LitElement {
  static override styles = [
    shared,
    css`
      form {
        display: grid;
        grid-template-columns: minmax(12rem, auto) 9rem minmax(0, 1fr);
        gap: 0.5rem 0.8rem;
        align-items: center;
      }
      .hint {
        font-size: 0.8rem;
        color: var(--muted);
      }
      .row-end {
        grid-column: 1 / -1;
        display: flex;
        gap: 0.6rem;
        align-items: center;
      }
    `,
  ];

  @consume({ context: playgroundContext, subscribe: true })
  playground?: Playground;

  @state() private message?: { text: string; bad: boolean };

  private async _onSubmit(e: SubmitEvent): Promise<void> {
    e.preventDefault();
    const data = new FormData(e.target as HTMLFormElement);
    const patch = Object.fromEntries(FIELDS.map(([key]) => [key, Number(data.get(key))])) as unknown as Limits;
    try {
      await this.playground!.settings.update(patch);
      this.message = { text: 'Saved. New limits apply to the next call and the next worker start.', bad: false };
    } catch (err) {
      this.message = { text: err instanceof Error ? err.message : String(err), bad: true };
    }
  }

  override render() {
    const limits = this.playground?.settings.limits;
    if (!limits) return nothing;
    return html`<form data-testid="settings" @submit=${this._onSubmit}>
        ${FIELDS.map(
          ([key, label, hint]) => html`
            <label for=${key}>${label}</label>
            <input id=${key} name=${key} type="number" step="1" .value=${String(limits[key])} data-testid="setting-${key}" />
            <span class="hint">${hint}</span>
          `,
        )}
        <div class="row-end">
          <button class="primary" data-testid="settings-save">Save limits</button>
          ${this.message ? html`<span class=${this.message.bad ? 'error-text' : 'muted'} data-testid="settings-message">${this.message.text}</span>` : nothing}
        </div>
      </form>
      <pp-plugin-slot name="settings-panel" .data=${{ limits }}></pp-plugin-slot>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'pp-settings': PpSettings;
  }
}
