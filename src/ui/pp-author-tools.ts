import { consume } from '@lit/context';
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { PluginView } from '../host/plugin-manager.ts';
import type { Playground } from '../host/playground.ts';
import { capabilities } from '../shared/capabilities.ts';
import { MAX_SCENARIO_BYTES, MiB } from '../shared/limits.ts';
import { parseScenario, scenarioText } from '../shared/scenario.ts';
import { playgroundContext } from './context.ts';
import { download } from './download.ts';
import { ListenController } from './listen.ts';
import { selectionContext, type Selection } from './selection.ts';
import { shared } from './styles.ts';

/** `window.showOpenFilePicker`, which TypeScript's DOM library does not declare. */
type OpenFilePicker = (options?: {
  types?: Array<{ description: string; accept: Record<string, string[]> }>;
  excludeAcceptAllOption?: boolean;
}) => Promise<FileSystemFileHandle[]>;

const NO_FILE_SYSTEM_ACCESS =
  'This browser has no File System Access API (showOpenFilePicker), so it cannot watch a file on disk; Chrome and Edge have it. ' +
  'Drop each new build on this card instead.';

/** A card's tools for writing a plugin: watch its build file, record what it receives, replay a scenario. */
@customElement('pp-author-tools')
export class PpAuthorTools extends LitElement {
  static override styles = [
    shared,
    css`
      .row {
        margin-top: 0.45rem;
        gap: 0.35rem;
      }
      button,
      .button {
        padding: 0.2rem 0.55rem;
      }
      p {
        font-size: 0.85rem;
        margin: 0.3rem 0 0;
      }
      .recording {
        color: var(--bad);
      }
      input[type='file'] {
        display: none;
      }
    `,
  ];

  @consume({ context: playgroundContext, subscribe: true })
  playground?: Playground;

  @consume({ context: selectionContext, subscribe: true })
  selection?: Selection;

  @property({ attribute: false }) view!: PluginView;
  @state() private message?: { text: string; bad: boolean };

  private readonly _onChange = () => this.requestUpdate();
  protected readonly reloadsSubscription = new ListenController(this, () => this.playground?.reloads, ['change'], this._onChange);
  protected readonly scenariosSubscription = new ListenController(this, () => this.playground?.scenarios, ['change'], this._onChange);

  private get pluginId(): string {
    return this.view.record.id;
  }

  private async _onWatch(): Promise<void> {
    const pick = (window as unknown as { showOpenFilePicker: OpenFilePicker }).showOpenFilePicker;
    let handle: FileSystemFileHandle | undefined;
    try {
      [handle] = await pick({ types: [{ description: 'WebAssembly build', accept: { 'application/wasm': ['.wasm'] } }] });
    } catch (e) {
      // Closing the picker is not an error.
      if (e instanceof DOMException && e.name === 'AbortError') return;
      this.message = { text: `The file could not be opened: ${e instanceof Error ? e.message : String(e)}`, bad: true };
      return;
    }
    if (handle) this.playground!.reloads.watch(this.pluginId, handle);
  }

  private async _onRecord(): Promise<void> {
    this.message = undefined;
    await this.playground!.scenarios.startRecording(this.pluginId);
  }

  private _onStopRecording(): void {
    const recorded = this.playground!.scenarios.stopRecording(this.pluginId);
    if (!recorded) return;
    const fileName = `${this.pluginId}.scenario.json`;
    download(fileName, scenarioText(recorded.scenario), 'application/json');
    const { steps, expect } = recorded.scenario;
    const cut = recorded.full || recorded.droppedSteps > 0 ? ' The recording filled up: later events and outcomes were not kept.' : '';
    this.message = { text: `Recorded ${steps.length} events and ${expect.length} outcomes into ${fileName}.${cut}`, bad: false };
  }

  private async replay(run: () => Promise<unknown>): Promise<void> {
    this.message = undefined;
    this.selection?.show('replay', this.pluginId);
    try {
      await run();
    } catch (e) {
      this.message = { text: `Replay failed: ${e instanceof Error ? e.message : String(e)}`, bad: true };
    }
  }

  private _onReplayRecording(): void {
    const recorded = this.playground!.scenarios.lastRecording(this.pluginId);
    if (recorded) void this.replay(() => this.playground!.scenarios.replay(this.pluginId, recorded.scenario, 'the last recording', recorded.fuel));
  }

  private async _onReplayFile(e: Event): Promise<void> {
    const input = e.target as HTMLInputElement;
    const file = input.files?.[0];
    input.value = '';
    if (!file) return;
    if (file.size > MAX_SCENARIO_BYTES) {
      this.message = { text: `${file.name} is larger than ${MAX_SCENARIO_BYTES / MiB} MiB; a scenario should be much smaller.`, bad: true };
      return;
    }
    const parsed = parseScenario(await file.text());
    if (!parsed.ok) {
      this.message = { text: `${file.name} is not a scenario this playground can play: ${parsed.problems.join(' ')}`, bad: true };
      return;
    }
    await this.replay(() => this.playground!.scenarios.replay(this.pluginId, parsed.scenario, file.name));
  }

  private renderWatch() {
    const watching = this.playground!.reloads.watching(this.pluginId);
    if (watching) {
      return html`<button data-testid="unwatch" @click=${() => this.playground!.reloads.unwatch(this.pluginId)}>Stop watching</button>`;
    }
    return capabilities().fileSystemAccess
      ? html`<button data-testid="watch-file" title="Pick the .wasm your build writes: each new build is loaded in place" @click=${this._onWatch}>
          Watch file…
        </button>`
      : html`<button data-testid="watch-file" disabled title=${NO_FILE_SYSTEM_ACCESS} aria-description=${NO_FILE_SYSTEM_ACCESS}>
          Watch file… (not in this browser)
        </button>`;
  }

  override render() {
    if (!this.playground) return nothing;
    const { scenarios, reloads } = this.playground;
    const recording = scenarios.recording(this.pluginId);
    const replaying = scenarios.isReplaying(this.pluginId);
    const canReplay = this.view.record.enabled && !replaying;
    const watching = reloads.watching(this.pluginId);
    return html`
      <div class="row">
        ${this.renderWatch()}
        ${
          recording
            ? html`<button class="recording" data-testid="record-stop" @click=${this._onStopRecording}>■ Stop recording (${recording.events} events)</button>`
            : html`<button data-testid="record-start" title="Record the events this plugin receives and what it does with them" @click=${this._onRecord}>
                ● Record
              </button>`
        }
        <button data-testid="replay-recording" ?disabled=${!canReplay || !scenarios.lastRecording(this.pluginId)} @click=${this._onReplayRecording}>
          Replay recording
        </button>
        <label class="button" title="Play a scenario file against this plugin" aria-disabled=${String(!canReplay)}
          >Replay file…
          <input type="file" accept=".json,application/json" data-testid="replay-input" ?disabled=${!canReplay} @change=${this._onReplayFile} />
        </label>
      </div>
      ${
        watching
          ? html`<p class="muted" data-testid="watch-status">Watching ${watching.fileName}${watching.note ? html` · ${watching.note}` : nothing}</p>
              ${watching.problem ? html`<p class="error-text" data-testid="watch-problem">${watching.problem}</p>` : nothing}`
          : nothing
      }
      ${this.message ? html`<p class=${this.message.bad ? 'error-text' : 'muted'} data-testid="author-message">${this.message.text}</p>` : nothing}
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'pp-author-tools': PpAuthorTools;
  }
}
