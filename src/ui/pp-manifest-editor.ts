import { consume } from '@lit/context';
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { Playground } from '../host/playground.ts';
import { MANIFEST_VALIDATE_DELAY_MS } from '../shared/limits.ts';
import { parseManifest, type ManifestIssue } from '../shared/manifest.ts';
import { playgroundContext } from './context.ts';
import type { EditorMarker } from './pp-code-editor.ts';
import { shared } from './styles.ts';
import './pp-code-editor.ts';

function toMarkers(issues: ManifestIssue[]): EditorMarker[] {
  return issues.map((issue) => ({
    line: issue.line ?? 1,
    column: issue.column,
    message: issue.message,
    severity: issue.severity,
  }));
}

/** A plugin's plugin.toml in Monaco: validated when typing pauses, saved (and re-validated) on demand. */
@customElement('pp-manifest-editor')
export class PpManifestEditor extends LitElement {
  static override styles = [
    shared,
    css`
      .bar {
        display: flex;
        gap: 0.5rem;
        align-items: center;
        margin-bottom: 0.5rem;
        flex-wrap: wrap;
      }
      pp-code-editor {
        height: 22rem;
        border: 1px solid var(--border);
        border-radius: 6px;
        overflow: hidden;
      }
      ul {
        margin: 0.4rem 0 0;
        padding-left: 1.2rem;
        font-size: 0.85rem;
      }
    `,
  ];

  @consume({ context: playgroundContext, subscribe: true })
  playground?: Playground;

  @property() pluginId = '';
  @state() private text = '';
  @state() private issues: ManifestIssue[] = [];
  @state() private saved?: string;
  private loadedFor?: string;
  private pending?: ReturnType<typeof setTimeout>;

  override willUpdate(): void {
    if (this.loadedFor === this.pluginId) return;
    this.loadedFor = this.pluginId;
    const record = this.playground?.plugins.get(this.pluginId)?.record;
    this.text = record?.manifestText ?? '';
    this.saved = undefined;
    this.validateNow();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearTimeout(this.pending);
  }

  private validateNow(): void {
    clearTimeout(this.pending);
    this.pending = undefined;
    const result = parseManifest(this.text, { appVersion: __APP_VERSION__ });
    this.issues = result.ok ? result.warnings : [...result.errors, ...result.warnings];
  }

  // Parsing a long manifest on every keystroke made typing lag; half-typed text only ever
  // shows errors anyway.
  private _onInput(e: CustomEvent<string>): void {
    this.text = e.detail;
    this.saved = undefined;
    clearTimeout(this.pending);
    this.pending = setTimeout(() => this.validateNow(), MANIFEST_VALIDATE_DELAY_MS);
  }

  private async _onSave(): Promise<void> {
    if (this.pending !== undefined) {
      this.validateNow();
      if (this.issues.some((i) => i.severity === 'error')) return;
    }
    const { errors, notice } = await this.playground!.plugins.saveManifest(this.pluginId, this.text);
    if (errors.length > 0) {
      this.issues = errors;
      this.saved = undefined;
    } else {
      this.saved = notice ?? 'Saved.';
    }
  }

  override render() {
    const record = this.playground?.plugins.get(this.pluginId)?.record;
    if (!record) return html`<p class="muted">Choose a plugin's <b>Manifest</b> button to edit its plugin.toml.</p>`;
    const errors = this.issues.filter((i) => i.severity === 'error');
    const dirty = this.text !== record.manifestText;
    return html`
      <div class="bar">
        <strong>${record.id}</strong><span class="muted">plugin.toml${record.draft ? ' (draft)' : ''}</span>
        <button class="primary" data-testid="manifest-save" ?disabled=${errors.length > 0 || !dirty} @click=${this._onSave}>Save</button>
        <span data-testid="manifest-status" class=${errors.length ? 'error-text' : 'muted'}>
          ${errors.length ? `${errors.length} ${errors.length === 1 ? 'problem' : 'problems'}` : (this.saved ?? (dirty ? 'Unsaved changes' : 'Valid'))}
        </span>
      </div>
      <pp-code-editor
        data-testid="manifest-editor"
        language="toml"
        .value=${this.text}
        .markers=${toMarkers(this.issues)}
        @value-changed=${this._onInput}
      ></pp-code-editor>
      ${
        this.issues.length
          ? html`<ul data-testid="manifest-issues">
              ${this.issues.map((i) => html`<li class=${i.severity === 'error' ? 'error-text' : 'muted'}>${i.line ? `line ${i.line}: ` : nothing}${i.message}</li>`)}
            </ul>`
          : nothing
      }
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'pp-manifest-editor': PpManifestEditor;
  }
}
