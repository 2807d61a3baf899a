import type { Locator, Page } from '@playwright/test';
import { expect, test as base } from './fixtures.ts';

declare global {
  interface Window {
    /** `value-changed` details, oldest first. */
    editorChanges: string[];
  }
}

// The element's public surface, restated: importing src/ui here would drag Vite's module
// types (`?worker`, `?inline`) into the Node-side typecheck.
interface EditorMarker {
  line: number;
  column?: number;
  message: string;
  severity: 'error' | 'warning';
}
interface PpCodeEditor extends HTMLElement {
  value: string;
  language: 'toml' | 'wit' | 'json';
  readOnly: boolean;
  markers: EditorMarker[];
  appendLines(text: string): void;
  revealLastLine(): void;
}
type EditorProps = Partial<Pick<PpCodeEditor, 'value' | 'language' | 'readOnly' | 'markers'>>;

/**
 * Mounts a <pp-code-editor> inside another element's shadow root, the way the app's own
 * elements will hold it: Monaco's document-level CSS cannot reach it there.
 */
class EditorHarness {
  constructor(readonly page: Page) {}

  readonly element: Locator = this.page.locator('#editor-host pp-code-editor');
  readonly monaco: Locator = this.element.locator('.monaco-editor');
  readonly lines: Locator = this.monaco.locator('.view-lines');

  async mount(props: EditorProps): Promise<void> {
    await this.page.evaluate(async (props) => {
      await customElements.whenDefined('pp-code-editor');
      const host = document.createElement('div');
      host.id = 'editor-host';
      document.body.prepend(host);
      const editor = document.createElement('pp-code-editor');
      Object.assign(editor, props);
      window.editorChanges = [];
      editor.addEventListener('value-changed', (e) => window.editorChanges.push((e as CustomEvent<string>).detail));
      host.attachShadow({ mode: 'open' }).append(editor);
    }, props);
    await expect(this.monaco).toBeVisible();
  }

  async set(props: EditorProps): Promise<void> {
    await this.element.evaluate((el, props) => Object.assign(el, props), props);
  }

  changes(): Promise<string[]> {
    return this.page.evaluate(() => window.editorChanges);
  }

  /** What the editor shows, line by line (Monaco renders spaces as U+00A0). */
  async shownLines(): Promise<string[]> {
    return this.lines.evaluate((el) =>
      Array.from(el.querySelectorAll<HTMLElement>('.view-line'))
        .sort((a, b) => parseFloat(a.style.top) - parseFloat(b.style.top))
        .map((line) => line.textContent!.replace(/\u00a0/g, ' ')),
    );
  }

  /** The text colour of the smallest rendered token span that contains `text`. */
  tokenColor(text: string): Promise<string> {
    return this.lines.evaluate((el, text) => {
      const spans = Array.from(el.querySelectorAll<HTMLElement>('.view-line span span'))
        .filter((span) => span.textContent!.includes(text))
        .sort((a, b) => a.textContent!.length - b.textContent!.length);
      if (!spans[0]) throw new Error(`No token shows "${text}".`);
      return getComputedStyle(spans[0]).color;
    }, text);
  }
}

const test = base.extend<{ editor: EditorHarness }>({
  editor: async ({ playground }, use) => {
    await use(new EditorHarness(playground.page));
  },
});

const MANIFEST = ['[plugin]', 'name = "hello-events"', 'version = 1.0', 'entry = "hello.wasm"'];
const VERSION_ERROR: EditorMarker = { line: 3, message: 'plugin.version must be a string like "1.0.0".', severity: 'error' };

test('a manifest editor inside a shadow root shows markers and reports edits', async ({ editor, page }) => {
  await editor.mount({ language: 'toml', value: MANIFEST.join('\n'), markers: [VERSION_ERROR] });

  // Monaco's own stylesheet reached the shadow root...
  await expect(editor.lines).toHaveCSS('white-space', 'nowrap');
  await expect(editor.monaco.locator('.view-line').first()).toHaveCSS('position', 'absolute');
  // ...and so did its theme, which draws the squiggle.
  const squiggle = editor.monaco.locator('.squiggly-error');
  await expect(squiggle).toHaveCount(1);
  expect(await squiggle.evaluate((el) => getComputedStyle(el).backgroundImage)).toContain('url(');
  expect(await editor.shownLines()).toEqual(MANIFEST);

  // The whole of line 3 is marked, and hovering it shows the message. (Inside a shadow root
  // Monaco used to close hovers on every mouse move: microsoft/monaco-editor#3409.)
  // The fixture's clicks on the app below have scrolled the page: bring the line into view first
  // (a mouse outside the viewport hovers nothing).
  await squiggle.scrollIntoViewIfNeeded();
  const box = (await squiggle.boundingBox())!;
  const line3 = (await editor.monaco.locator('.view-line').nth(2).boundingBox())!;
  expect(box.y).toBeCloseTo(line3.y, 0);
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await expect(editor.monaco.locator('.monaco-hover', { hasText: VERSION_ERROR.message })).toBeVisible();

  // Typing fires value-changed with the whole new text.
  await editor.lines.click();
  await page.keyboard.press('ControlOrMeta+Home');
  await page.keyboard.press('End');
  await page.keyboard.type(' # edited');
  const edited = ['[plugin] # edited', ...MANIFEST.slice(1)].join('\n');
  await expect.poll(async () => (await editor.changes()).at(-1)).toBe(edited);
  await expect(editor.element).toHaveJSProperty('value', edited);

  // Paste-like insertion works too. Delete first: typing `[` over a selection would wrap it
  // in brackets (Monaco's auto-surround), and insertText types character by character.
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.press('Delete');
  await page.keyboard.insertText('[plugin]\nname = "x"\n');
  await expect.poll(async () => (await editor.changes()).at(-1)).toBe('[plugin]\nname = "x"\n');

  // Setting value from outside replaces the text without firing value-changed.
  const count = (await editor.changes()).length;
  await editor.set({ value: MANIFEST.join('\n') });
  await expect.poll(() => editor.shownLines()).toEqual(MANIFEST);
  expect(await editor.changes()).toHaveLength(count);
});

test('a read-only editor refuses typing', async ({ editor, page }) => {
  await editor.mount({ language: 'toml', value: MANIFEST.join('\n'), readOnly: true });

  await editor.lines.click();
  await page.keyboard.press('End');
  await page.keyboard.type('x');
  // Monaco says why nothing happened: proof the keys arrived.
  await expect(editor.monaco.getByText('Cannot edit in read-only editor')).toBeVisible();
  expect(await editor.changes()).toEqual([]);
  expect(await editor.shownLines()).toEqual(MANIFEST);
  await expect(editor.element).toHaveJSProperty('value', MANIFEST.join('\n'));
});

test('WIT is highlighted: keywords, built-in types and names differ', async ({ editor, page }) => {
  const wit = [
    'package demo:hello@0.1.0;',
    '',
    '/// Greets.',
    'world greeter {',
    '  import wasi:io/streams@0.2.0;',
    '  export greet: func(name: string, times: u32) -> result<list<u8>, my-error>;',
    '}',
  ];
  await editor.mount({ language: 'wit', value: wit.join('\n'), readOnly: true });
  expect(await editor.shownLines()).toEqual(wit);

  const keyword = await editor.tokenColor('world');
  const type = await editor.tokenColor('string');
  const name = await editor.tokenColor('greeter');
  expect(await editor.tokenColor('func')).toBe(keyword);
  expect(await editor.tokenColor('u32')).toBe(type);
  expect(new Set([keyword, type, name]).size).toBe(3);
  expect(await editor.tokenColor('demo:hello@0.1.0')).not.toBe(name);

  // The theme follows the system's colour scheme, live.
  await expect(editor.monaco).toHaveCSS('background-color', 'rgb(255, 255, 254)');
  await page.emulateMedia({ colorScheme: 'dark' });
  await expect(editor.monaco).toHaveCSS('background-color', 'rgb(30, 30, 30)');
  expect(await editor.tokenColor('world')).not.toBe(keyword);
});

test('a JSON-lines trace grows with appendLines and follows the last line', async ({ editor }) => {
  await editor.mount({ language: 'json', value: '', readOnly: true });
  await editor.element.evaluate((element) => {
    const el = element as PpCodeEditor;
    for (let i = 1; i <= 200; i++) el.appendLines(`{"seq":${i},"kind":"log","ok":true}\n`);
    el.revealLastLine();
  });
  await expect(editor.lines).toContainText('{"seq":200,"kind":"log","ok":true}');
  await expect(editor.lines).not.toContainText('{"seq":1,');
  expect(await editor.changes()).toEqual([]);
});

test('in a read-only log the cursor stays on its line while new lines arrive below', async ({ editor }) => {
  await editor.mount({ language: 'json', value: '', readOnly: true });
  const cursorTop = () =>
    editor.monaco
      .locator('.cursors-layer .cursor')
      .first()
      .evaluate((cursor) => (cursor as HTMLElement).style.top);
  await editor.element.evaluate((element) => {
    const el = element as PpCodeEditor;
    for (let i = 1; i <= 5; i++) el.appendLines(`{"seq":${i},"kind":"log"}\n`);
  });
  await expect(editor.lines).toContainText('{"seq":5,"kind":"log"}');
  // Where the log began, not on the newest line (where drawing it would cost a layout read per frame).
  await expect.poll(cursorTop).toBe('0px');
});
