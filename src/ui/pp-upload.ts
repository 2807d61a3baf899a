import { consume } from '@lit/context';
import { Task } from '@lit/task';
import { LitElement, css, html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { isExplorable } from '../host/explore/explorer.ts';
import { InstallError, ReplaceQuestion, type InstallStep, type UploadedFile } from '../host/plugin-manager.ts';
import type { Playground } from '../host/playground.ts';
import { playgroundContext } from './context.ts';
import { shared } from './styles.ts';
import './pp-new-plugin.ts';

interface SampleEntry {
  name: string;
  label: string;
  summary: string;
  engine: string;
  misbehaving: boolean;
  /** The row of buttons it joins (scripts/build-samples.mjs): `SOUNDTIME_GROUP` has its own. */
  group: string;
  wasm: string;
  manifest?: string;
  ui: Array<{ name: string; url: string }>;
}

const SOUNDTIME_GROUP = 'SoundTime (Extism)';

const STEP_TEXT: Record<InstallStep, string> = {
  checking: 'Checking the file…',
  transpiling: 'Transpiling the component in the compile worker…',
  'reading-metadata': 'Reading its metadata in a sandboxed worker…',
  saving: 'Saving…',
};

function fromFile(file: File): UploadedFile {
  return { name: file.name, size: file.size, bytes: async () => new Uint8Array(await file.arrayBuffer()) };
}

/** Drop zone, file picker and sample buttons; shows install progress and errors. */
@customElement('pp-upload')
export class PpUpload extends LitElement {
  static override styles = [
    shared,
    css`
      .drop {
        border: 2px dashed var(--border);
        border-radius: var(--radius);
        padding: 1rem;
        text-align: center;
        transition: border-color 0.1s;
      }
      .drop.over {
        border-color: var(--accent);
        background: color-mix(in srgb, var(--accent) 8%, transparent);
      }
      .samples {
        display: flex;
        flex-wrap: wrap;
        gap: 0.4rem;
        margin-top: 0.4rem;
      }
      .status {
        margin-top: 0.6rem;
      }
      ul {
        margin: 0.3rem 0;
        padding-left: 1.2rem;
      }
      input[type='file'] {
        position: absolute;
        width: 1px;
        height: 1px;
        opacity: 0;
      }
    `,
  ];

  @consume({ context: playgroundContext, subscribe: true })
  playground?: Playground;

  @state() private over = false;
  @state() private busy?: string;
  /** An upload waiting for the user: it would replace an installed plugin of the same name. */
  @state() private question?: { message: string; files: UploadedFile[]; source: 'upload' | 'sample' };
  @state() private outcome?:
    { ok: true; text: string } | { ok: false; error: string; unsatisfied?: string[]; missing?: string[]; problems?: string[]; wit?: string };

  private samples = new Task(this, {
    task: async (_args, { signal }) => {
      const response = await fetch('samples/index.json', { signal });
      if (!response.ok) throw new Error(`samples/index.json: HTTP ${response.status}`);
      return (await response.json()) as SampleEntry[];
    },
    args: () => [],
  });

  private async install(files: UploadedFile[], source: 'upload' | 'sample', replace?: { keepConfig: boolean }): Promise<void> {
    if (!this.playground || this.busy || files.length === 0) return;
    const label = files.map((f) => f.name).join(', ');
    this.outcome = undefined;
    this.question = undefined;
    this.busy = `${label}: ${STEP_TEXT.checking}`;
    try {
      const onStep = (step: InstallStep) => (this.busy = `${label}: ${STEP_TEXT[step]}`);
      const { record, updated, notice } = await this.playground.plugins.install(files, source, onStep, undefined, replace);
      const { name, version } = record.manifest.plugin;
      const next = record.draft ? 'It came without a plugin.toml: review the drafted manifest, then enable it.' : 'Enable it below to run it.';
      this.outcome = {
        ok: true,
        text: notice ?? `${updated ? 'Updated' : 'Installed'} ${name} ${version}. ${updated && record.enabled ? 'It restarted with the new version.' : next}`,
      };
    } catch (e) {
      if (e instanceof ReplaceQuestion) {
        this.question = { message: e.message, files, source };
        return;
      }
      // A lone component that no plugin profile recognises is explored instead of refused.
      if (e instanceof InstallError && e.details.wit && files.length === 1 && isExplorable(e.details.wit)) {
        await this.explore(files[0]!);
        return;
      }
      this.outcome =
        e instanceof InstallError
          ? { ok: false, error: e.message, ...e.details }
          : { ok: false, error: `Installing ${label} failed: ${e instanceof Error ? e.message : String(e)}` };
    } finally {
      this.busy = undefined;
    }
  }

  private async explore(file: UploadedFile): Promise<void> {
    this.busy = `${file.name}: not a plugin; reading its types and transpiling it to explore…`;
    try {
      await this.playground!.explorer.open(file);
      this.outcome = {
        ok: true,
        text: `${file.name} is not a playground, Hydrust or SoundTime plugin, so it was not installed: it is open in Explore, where you can call its exports.`,
      };
    } catch (e) {
      this.outcome = { ok: false, error: `${file.name} could not be explored: ${e instanceof Error ? e.message : String(e)}` };
    }
  }

  private async _onFiles(files: FileList | null | undefined): Promise<void> {
    await this.install([...(files ?? [])].map(fromFile), 'upload');
  }

  private async _onSample(sample: SampleEntry): Promise<void> {
    const response = await fetch(sample.wasm);
    if (!response.ok) {
      this.outcome = { ok: false, error: `The sample ${sample.name} could not be loaded (HTTP ${response.status}).` };
      return;
    }
    const bytes = new Uint8Array(await response.arrayBuffer());
    const files: UploadedFile[] = [{ name: `${sample.name}.wasm`, size: bytes.length, bytes: async () => bytes }];
    const extras = [...(sample.manifest ? [{ name: 'plugin.toml', url: sample.manifest }] : []), ...sample.ui];
    for (const extra of extras) {
      const bytes = new Uint8Array(await (await fetch(extra.url)).arrayBuffer());
      files.push({ name: extra.name, size: bytes.length, bytes: async () => bytes });
    }
    await this.install(files, 'sample');
  }

  private sampleButton(sample: SampleEntry) {
    return html`<button title=${sample.summary} data-testid="sample-${sample.name}" ?disabled=${Boolean(this.busy)} @click=${() => this._onSample(sample)}>
      ${sample.label}
    </button>`;
  }

  private _onReplace(keepConfig: boolean): void {
    const question = this.question;
    if (question) void this.install(question.files, question.source, { keepConfig });
  }

  private _onDrop(e: DragEvent): void {
    e.preventDefault();
    this.over = false;
    void this._onFiles(e.dataTransfer?.files);
  }

  override render() {
    return html`
      <section class="panel" aria-labelledby="upload-title">
        <h2 id="upload-title">Add a plugin</h2>
        <div
          class="drop ${this.over ? 'over' : ''}"
          data-testid="drop-zone"
          @dragover=${(e: DragEvent) => {
            e.preventDefault();
            this.over = true;
          }}
          @dragleave=${() => (this.over = false)}
          @drop=${this._onDrop}
        >
          <p style="margin:0 0 0.5rem">
            Drop a <code>.wasm</code> component here (with its <code>plugin.toml</code> and UI <code>.html</code> if it has them), or
          </p>
          <label class="button" for="file">Choose a file…</label>
          <input
            id="file"
            type="file"
            accept=".wasm,application/wasm,.toml,.html,.htm"
            multiple
            data-testid="file-input"
            @change=${(e: Event) => {
              const input = e.target as HTMLInputElement;
              void this._onFiles(input.files).then(() => (input.value = ''));
            }}
          />
        </div>
        <p class="muted" style="margin:0.7rem 0 0.3rem">Writing one? <pp-new-plugin></pp-new-plugin></p>
        <p class="muted" style="margin:0.7rem 0 0">Try a sample:</p>
        ${this.samples.render({
          pending: () => html`<p class="muted">Loading samples…</p>`,
          error: (e) => html`<p class="error-text">Samples are unavailable: ${String(e)}</p>`,
          complete: (all) => {
            const soundtime = all.filter((s) => s.group === SOUNDTIME_GROUP);
            const samples = all.filter((s) => s.group !== SOUNDTIME_GROUP);
            return html`
              <div class="samples">${samples.filter((s) => !s.misbehaving).map((s) => this.sampleButton(s))}</div>
              ${
                soundtime.length
                  ? html`<p class="muted" style="margin:0.6rem 0 0">${SOUNDTIME_GROUP} plugins, in AssemblyScript:</p>
                      <div class="samples" data-testid="soundtime-samples">${soundtime.map((s) => this.sampleButton(s))}</div>`
                  : nothing
              }
              <p class="muted" style="margin:0.6rem 0 0">Misbehaving on purpose (to watch the limits work):</p>
              <div class="samples" data-testid="misbehaving-samples">${samples.filter((s) => s.misbehaving).map((s) => this.sampleButton(s))}</div>
            `;
          },
        })}
        ${
          this.question
            ? html`<div class="error-text" role="alertdialog" data-testid="replace-question">
                <p style="margin:0.3rem 0">${this.question.message}</p>
                <button data-testid="replace-keep-config" @click=${() => this._onReplace(true)}>Replace it, keep its config</button>
                <button data-testid="replace-clear-config" @click=${() => this._onReplace(false)}>Replace it, clear its config</button>
                <button data-testid="replace-cancel" @click=${() => (this.question = undefined)}>Cancel</button>
              </div>`
            : nothing
        }
        <div class="status" role="status" aria-live="polite" data-testid="upload-status">
          ${this.busy ? html`<span class="muted">${this.busy}</span>` : nothing} ${this.outcome?.ok ? html`<span>${this.outcome.text}</span>` : nothing}
        </div>
        ${
          this.outcome && !this.outcome.ok
            ? html`<div class="error-text" role="alert" data-testid="upload-error">
                <p style="margin:0.3rem 0">${this.outcome.error}</p>
                ${
                  this.outcome.problems?.length
                    ? html`<ul data-testid="manifest-problems">
                        ${this.outcome.problems.map((p) => html`<li>${p}</li>`)}
                      </ul>`
                    : nothing
                }
                ${
                  this.outcome.missing?.length
                    ? html`<p style="margin:0.3rem 0">Exports it lacks:</p>
                        <ul data-testid="missing-exports">
                          ${this.outcome.missing.map((name) => html`<li><code>${name}</code></li>`)}
                        </ul>`
                    : nothing
                }
                ${
                  this.outcome.unsatisfied?.length
                    ? html`<p style="margin:0.3rem 0">Imports the playground cannot provide:</p>
                        <ul data-testid="unsatisfied-imports">
                          ${this.outcome.unsatisfied.map((name) => html`<li><code>${name}</code></li>`)}
                        </ul>`
                    : nothing
                }
                ${
                  this.outcome.wit
                    ? html`<details>
                        <summary>Its WIT</summary>
                        <pre>${this.outcome.wit}</pre>
                      </details>`
                    : nothing
                }
              </div>`
            : nothing
        }
      </section>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'pp-upload': PpUpload;
  }
}
