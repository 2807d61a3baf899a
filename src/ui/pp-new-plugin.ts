import { LitElement, css, html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { starterZip } from '../shared/starter-project.ts';
import { download } from './download.ts';
import { shared } from './styles.ts';

/** "New plugin…": names a starter project and downloads it as a zip. */
@customElement('pp-new-plugin')
export class PpNewPlugin extends LitElement {
  static override styles = [
    shared,
    css`
      form {
        margin-top: 0.5rem;
      }
      input {
        width: 12rem;
      }
      p {
        font-size: 0.85rem;
        margin: 0.3rem 0 0;
      }
    `,
  ];

  @state() private open = false;
  @state() private name = 'my-plugin';
  @state() private message?: { text: string; bad: boolean };

  private _onSubmit(e: SubmitEvent): void {
    e.preventDefault();
    const result = starterZip(this.name.trim());
    if (!result.ok) {
      this.message = { text: result.problem, bad: true };
      return;
    }
    download(result.fileName, result.zip as Uint8Array<ArrayBuffer>, 'application/zip');
    this.message = { text: `${result.fileName}: unzip it, then npm install, npm run build, and drop plugin.wasm with plugin.toml here.`, bad: false };
  }

  override render() {
    if (!this.open) {
      return html`<button
        data-testid="new-plugin"
        title="Download a starter project: TypeScript, built with jco, tested with a scenario"
        @click=${() => (this.open = true)}
      >
        New plugin…
      </button>`;
    }
    return html`<form class="row" data-testid="new-plugin-form" @submit=${this._onSubmit}>
        <label
          >Name <input data-testid="new-plugin-name" .value=${this.name} @input=${(e: Event) => (this.name = (e.target as HTMLInputElement).value)}
        /></label>
        <button class="primary" type="submit" data-testid="new-plugin-download">Download starter .zip</button>
        <button type="button" @click=${() => ((this.open = false), (this.message = undefined))}>Cancel</button>
      </form>
      ${this.message ? html`<p class=${this.message.bad ? 'error-text' : 'muted'} data-testid="new-plugin-message">${this.message.text}</p>` : nothing}`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'pp-new-plugin': PpNewPlugin;
  }
}
