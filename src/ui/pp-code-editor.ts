import { Task } from '@lit/task';
import { LitElement, css, html, type PropertyValues } from 'lit';
import { customElement, property, query } from 'lit/decorators.js';
import type * as MonacoApi from 'monaco-editor/editor/editor.api';
import type * as MonacoModule from './monaco.ts';
import type { Monaco } from './monaco.ts';
import { toMarkerData, type EditorMarker } from './editor-markers.ts';

export type { EditorMarker } from './editor-markers.ts';

type LoadedMonaco = typeof MonacoModule;

export type EditorLanguage = 'toml' | 'wit' | 'json';

/** How near the first line counts as having scrolled to it. */
const START_LINES = 5;

const loading = () => html`<p class="status">Loading editor…</p>`;

/**
 * A Monaco editor that loads on first use. It renders into its own shadow root, so it works
 * inside other elements' shadow roots too.
 *
 * @fires value-changed - CustomEvent<string> with the full text, after each edit by the user.
 * @fires scrolled-to-start - when the first lines come into view (a log may have older ones to add).
 */
@customElement('pp-code-editor')
export class PpCodeEditor extends LitElement {
  static override styles = css`
    :host {
      display: block;
      height: 20rem;
      position: relative;
    }
    .editor {
      position: absolute;
      inset: 0;
    }
    .status {
      position: absolute;
      inset: 0;
      margin: 0;
      display: grid;
      place-items: center;
      color: var(--muted);
      background: var(--code);
      border-radius: 6px;
    }
    .error-text {
      color: var(--bad);
    }
  `;

  @property() value = '';
  @property() language: EditorLanguage = 'toml';
  @property({ type: Boolean, attribute: 'read-only' }) readOnly = false;
  @property({ attribute: false }) markers: EditorMarker[] = [];
  /** Extra Monaco options, e.g. no folding for a long log. */
  @property({ attribute: false }) options: MonacoApi.editor.IEditorOptions = {};

  @query('.editor') private container?: HTMLDivElement;

  private editor?: MonacoApi.editor.IStandaloneCodeEditor;
  private model?: MonacoApi.editor.ITextModel;
  /** True while we change the model ourselves, so only the user's edits fire `value-changed`. */
  private applying = false;
  /** `appendLines` leaves `value` behind the model (copying a long trace on every append is waste). */
  private valueBehindModel = false;
  private revealWhenReady = false;

  private monaco = new Task(this, {
    // Monaco is a lazy chunk of its own; the browser fetches and runs it once per page.
    task: (): Promise<LoadedMonaco> => import('./monaco.ts'),
    args: () => [],
  });

  /** The text as the editor holds it now (`value` may lag behind after `appendLines`). */
  text(): string {
    return this.model?.getValue() ?? this.value;
  }

  /** Replaces all text now: setting `value` to what it already was would not, after `appendLines`. */
  replaceAll(text: string): void {
    this.value = text;
    if (this.model && (this.model.getValueLength() !== text.length || this.model.getValue() !== text)) this.replaceText(text);
  }

  /** Appends `text` verbatim at the end (include the newline). Not undoable in a read-only editor. */
  appendLines(text: string): void {
    if (!this.model) {
      this.value += text;
      return;
    }
    const line = this.model.getLineCount();
    const column = this.model.getLineMaxColumn(line);
    // A cursor at the end rides along with text inserted there: in a read-only log it would
    // sit on the newest line, and drawing it there makes Monaco measure that line's layout on
    // every frame the log grows. It stays where it was.
    const cursor = this.readOnly ? this.editor?.getPosition() : null;
    this.edit({ startLineNumber: line, startColumn: column, endLineNumber: line, endColumn: column }, text);
    if (cursor && !cursor.equals(this.editor!.getPosition() ?? cursor)) this.editor!.setPosition(cursor);
    this.valueBehindModel = true;
  }

  /** Inserts `text` (`lines` whole lines, each with its newline) before the first line, keeping the view where it is. */
  insertLeadingLines(text: string, lines: number): void {
    if (!this.model) {
      this.value = text + this.value;
      return;
    }
    this.keepingView(lines, () => this.edit({ startLineNumber: 1, startColumn: 1, endLineNumber: 1, endColumn: 1 }, text));
  }

  /** Deletes the first `count` lines. */
  dropLeadingLines(count: number): void {
    if (count <= 0) return;
    if (!this.model) {
      let end = 0;
      for (let i = 0; i < count && end < this.value.length; i++) {
        const newline = this.value.indexOf('\n', end);
        end = newline === -1 ? this.value.length : newline + 1;
      }
      this.value = this.value.slice(end);
      return;
    }
    this.keepingView(-count, () => this.edit({ startLineNumber: 1, startColumn: 1, endLineNumber: count + 1, endColumn: 1 }, ''));
  }

  /** Keeps the lines in view where they are while `edit` moves them by `moved` lines: the reader is somewhere in the middle of a log. */
  private keepingView(moved: number, edit: () => void): void {
    const editor = this.editor!;
    const top = editor.getVisibleRanges()[0]?.startLineNumber ?? 1;
    const offset = editor.getScrollTop() - editor.getTopForLineNumber(top);
    edit();
    this.valueBehindModel = true;
    editor.setScrollTop(editor.getTopForLineNumber(Math.max(1, top + moved)) + offset);
  }

  /** Whether the last line is in view (also before the editor exists): a log follows new lines then. */
  get atBottom(): boolean {
    const editor = this.editor;
    if (!editor) return true;
    const slack = 2 * editor.getOption(this.monaco.value!.monaco.editor.EditorOption.lineHeight);
    return editor.getScrollTop() + editor.getLayoutInfo().height >= editor.getScrollHeight() - slack;
  }

  revealLastLine(): void {
    if (!this.editor || !this.model) {
      this.revealWhenReady = true;
      return;
    }
    this.editor.revealLine(this.model.getLineCount(), 1 /* ScrollType.Immediate */);
  }

  override connectedCallback(): void {
    super.connectedCallback();
    // Back in the page after a disconnect: the editor was disposed, build it again.
    if (this.hasUpdated) this.requestUpdate();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    if (this.model && this.valueBehindModel) this.value = this.model.getValue();
    this.valueBehindModel = false;
    this.editor?.dispose();
    this.model?.dispose();
    this.editor = undefined;
    this.model = undefined;
  }

  override render() {
    return html`
      <div class="editor" @mousemove=${this._onMouseMove}></div>
      ${this.monaco.render({
        initial: loading,
        pending: loading,
        error: (e) => html`<p class="status error-text">The editor could not load: ${e instanceof Error ? e.message : String(e)}</p>`,
      })}
    `;
  }

  override updated(changed: PropertyValues<this>): void {
    const loaded = this.monaco.value;
    if (!loaded || !this.isConnected) return;
    if (!this.editor || !this.model) {
      this.create(loaded);
      return;
    }
    // The user's own edits come back here as `value` too, but then the model already matches.
    const replaced = changed.has('value') && this.value !== this.model.getValue();
    if (replaced) this.replaceText(this.value);
    if (changed.has('language')) loaded.monaco.editor.setModelLanguage(this.model, this.language);
    if (changed.has('readOnly')) this.editor.updateOptions({ readOnly: this.readOnly });
    if (changed.has('options')) {
      this.editor.updateOptions(this.options);
      this.applyModelOptions();
    }
    // Re-applied after an outside replace so whole-line marks fit the new lines. Not after the
    // user's edits: Monaco moves the marks along with the text, the stored lines would not.
    if (changed.has('markers') || replaced) this.applyMarkers(loaded.monaco);
  }

  private create({ monaco, styles }: LoadedMonaco): void {
    const root = this.renderRoot as ShadowRoot;
    if (!root.adoptedStyleSheets.includes(styles)) root.adoptedStyleSheets = [...root.adoptedStyleSheets, styles];
    this.model = monaco.editor.createModel(this.value, this.language);
    // Monaco looks for a shadow root around the container when it is created (for its theme
    // and mouse hit-testing), so the container must already be in ours.
    this.editor = monaco.editor.create(this.container!, {
      model: this.model,
      readOnly: this.readOnly,
      automaticLayout: true,
      minimap: { enabled: false },
      scrollBeyondLastLine: false,
      fontSize: 13,
      fixedOverflowWidgets: true,
      ...this.options,
    });
    this.applyModelOptions();
    this.model.onDidChangeContent(this._onContentChange);
    this.editor.onDidScrollChange((e) => {
      if (e.scrollTopChanged && e.scrollTop < START_LINES * this.editor!.getOption(monaco.editor.EditorOption.lineHeight))
        this.dispatchEvent(new CustomEvent('scrolled-to-start'));
    });
    this.applyMarkers(monaco);
    if (this.revealWhenReady) {
      this.revealWhenReady = false;
      this.revealLastLine();
    }
  }

  /**
   * Bracket pairs are the model's to parse, not the editor's: with colouring turned off in the
   * editor's options only, the model still parses every edited line for them.
   */
  private applyModelOptions(): void {
    const colour = this.options.bracketPairColorization;
    this.model!.updateOptions({
      bracketColorizationOptions: { enabled: colour?.enabled ?? true, independentColorPoolPerBracketType: colour?.independentColorPoolPerBracketType ?? false },
    });
  }

  private readonly _onContentChange = () => {
    if (this.applying || !this.model) return;
    const text = this.model.getValue();
    this.valueBehindModel = false;
    this.value = text;
    this.dispatchEvent(new CustomEvent<string>('value-changed', { detail: text, bubbles: true, composed: true }));
  };

  // Monaco notices a missed mouseleave with a mousemove listener on the document that checks
  // `event.target`; from inside a shadow root the target is retargeted to the host, so every
  // move looks like leaving and hovers (marker messages) close at once
  // (microsoft/monaco-editor#3409). Moves over the editor need not reach the document.
  private _onMouseMove(e: MouseEvent): void {
    e.stopPropagation();
  }

  /** Replaces the text from outside, keeping the cursor and scroll position where they still fit. */
  private replaceText(text: string): void {
    const editor = this.editor!;
    const selections = editor.getSelections();
    const scrollTop = editor.getScrollTop();
    this.edit(this.model!.getFullModelRange(), text);
    this.valueBehindModel = false;
    if (selections) editor.setSelections(selections); // Monaco clamps them to the new text
    editor.setScrollTop(scrollTop);
  }

  private edit(range: MonacoApi.IRange, text: string): void {
    const model = this.model!;
    this.applying = true;
    try {
      // A read-only model has no undo, and its undo stack would only hold old copies of a
      // (possibly long) trace; an editable one lets the user undo an outside change.
      if (this.readOnly) model.applyEdits([{ range, text }]);
      else model.pushEditOperations(this.editor?.getSelections() ?? [], [{ range, text }], () => null);
    } finally {
      this.applying = false;
    }
  }

  private applyMarkers(monaco: Monaco): void {
    const model = this.model!;
    monaco.editor.setModelMarkers(
      model,
      'pp',
      this.markers.map((marker) => toMarkerData(monaco, model, marker)),
    );
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'pp-code-editor': PpCodeEditor;
  }
}
