import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { test as base, expect, type Locator, type Page } from '@playwright/test';

export const root = fileURLToPath(new URL('../..', import.meta.url));
/** Third-party material shared beside the repository (never copied into it). */
export const shared = fileURLToPath(new URL('../../../shared', import.meta.url));

export function sampleBytes(name: string): Buffer {
  return readFileSync(`${root}/public/samples/${name}.wasm`);
}

export const samplePath = (name: string) => `${root}/public/samples/${name}.wasm`;
/** A file on disk as an in-memory file (Playwright cannot mix paths and buffers in one pick). */
export const fileAt = (path: string) => ({ name: path.split('/').pop()!, mimeType: 'application/octet-stream', buffer: readFileSync(path) });
export const sampleManifest = (name: string) => readFileSync(`${root}/sample-plugins/${name}/plugin.toml`, 'utf8');
export const testPluginPath = (name: string) => `${root}/tests/plugins/dist/${name}.wasm`;
export const testPluginManifest = (name: string) => readFileSync(`${root}/tests/plugins/${name}/plugin.toml`, 'utf8');

/** A file for the file input from text, e.g. a hand-written plugin.toml. */
export const textFile = (name: string, text: string) => ({ name, mimeType: 'text/plain', buffer: Buffer.from(text) });

/** A blank page on the app's origin at `path`, for reaching its storage the way another version of the app would. */
export async function blankAppPage(page: Page, path: string): Promise<void> {
  await page.route(`**${path}`, (route) => route.fulfill({ contentType: 'text/html', body: '<!doctype html><title>blank</title>' }));
  await page.goto(path);
}

/**
 * Opens the app's database on `page` (a blank page of its origin) with schema version 3's stores,
 * as that version of the app made them, and keeps the connection open as `window.version3`.
 */
export async function openVersion3(page: Page): Promise<void> {
  await page.evaluate(async () => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const open = indexedDB.open('plugin-playground', 3);
      open.onupgradeneeded = () => {
        const d = open.result;
        d.createObjectStore('plugins', { keyPath: 'id' });
        d.createObjectStore('transpileCache', { keyPath: 'key' }).createIndex('bySha', 'sha256');
        d.createObjectStore('config', { keyPath: ['pluginId', 'key'] }).createIndex('byPlugin', 'pluginId');
        for (const name of ['tracks', 'users', 'playlists']) d.createObjectStore(name, { keyPath: 'id' });
        d.createObjectStore('settings');
        d.createObjectStore('eventsLog', { keyPath: 'id', autoIncrement: true }).createIndex('byPlugin', 'pluginId');
        d.createObjectStore('explored', { keyPath: 'id' });
      };
      open.onsuccess = () => resolve(open.result);
      open.onerror = () => reject(open.error);
    });
    (window as unknown as { version3: IDBDatabase }).version3 = db;
  });
}

/** Drives the playground the way a person does: file input, buttons, reading the page. */
/** A trace record as the page holds it: the fields tests read, the rest unchecked. */
export type TraceRecordSeen = { kind: string; pluginId: string; event?: string; result?: string; message?: string; step?: string } & Record<string, unknown>;

export class PlaygroundPage {
  constructor(readonly page: Page) {}

  async open(): Promise<void> {
    await this.page.goto('/');
    await expect(this.page.getByTestId('sample-hello-events')).toBeEnabled();
    // Most tests read the trace as summary rows; the choice is remembered across reloads.
    await this.page.getByTestId('trace-view-summary').click();
  }

  plugin(id: string): Locator {
    return this.page.getByTestId(`plugin-${id}`);
  }

  get status(): Locator {
    return this.page.getByTestId('upload-status');
  }

  get uploadError(): Locator {
    return this.page.getByTestId('upload-error');
  }

  async installSample(name: string): Promise<void> {
    await this.page.getByTestId(`sample-${name}`).click();
    // Installing transpiles, instruments every core module and reads metadata in a fresh worker:
    // the first install of a page also loads the transpiler. On a loaded machine that takes a while.
    await expect(this.status).toContainText(`Installed ${name}`, { timeout: 60_000 });
  }

  async upload(...files: Array<string | { name: string; mimeType: string; buffer: Buffer }>): Promise<void> {
    await this.page.getByTestId('file-input').setInputFiles(files as never);
  }

  /** Enables a plugin, approving its permissions when it asks for a review. */
  async enable(id: string): Promise<void> {
    const plugin = this.plugin(id);
    const needsReview = (await plugin.getAttribute('data-review')) === 'needed';
    await plugin.getByTestId('enable').click();
    if (needsReview) await this.approve(id);
    await expect(plugin).toHaveAttribute('data-state', 'running');
  }

  reviewDialog(id: string): Locator {
    return this.plugin(id).getByTestId('review-dialog');
  }

  async approve(id: string): Promise<void> {
    await expect(this.reviewDialog(id)).toBeVisible();
    await this.reviewDialog(id).getByTestId('review-approve').click();
    await expect(this.reviewDialog(id)).toBeHidden();
  }

  /** Opens a workbench tab for a plugin (Manifest, WIT) through its card's button. */
  async openTab(id: string, tab: 'manifest' | 'wit'): Promise<void> {
    await this.plugin(id).getByTestId(`open-${tab}`).click();
    await expect(this.page.getByTestId(`tab-${tab}`)).toHaveAttribute('aria-selected', 'true');
  }

  /** Sets one limit in the Settings tab and saves it, then returns to the trace. */
  async setLimit(key: string, value: string): Promise<void> {
    await this.page.getByTestId('tab-settings').click();
    await this.page.getByTestId(`setting-${key}`).fill(value);
    await this.page.getByTestId('settings-save').click();
    await expect(this.page.getByTestId('settings-message')).toContainText('Saved');
    await this.showTrace();
  }

  async showTrace(): Promise<void> {
    await this.page.getByTestId('tab-trace').click();
  }

  /** The text in a Monaco-backed editor element, as its model holds it. */
  editorValue(testId: string): Promise<string> {
    return this.page.getByTestId(testId).evaluate((el) => (el as HTMLElement & { text(): string }).text());
  }

  /** Replaces all text of the manifest editor the way a user would: select all, type. */
  async replaceManifest(text: string): Promise<void> {
    const editor = this.page.getByTestId('manifest-editor');
    await editor.locator('.monaco-editor .view-lines').click();
    await this.page.keyboard.press('ControlOrMeta+A');
    // Delete first: typing `[` over a selection would make Monaco surround it with brackets.
    await this.page.keyboard.press('Delete');
    await this.page.keyboard.insertText(text);
  }

  /** Trace rows, optionally only one plugin's and one kind's. */
  trace(pluginId?: string, kind?: string): Locator {
    const selector = `[data-testid="trace"] li${pluginId ? `[data-plugin="${pluginId}"]` : ''}${kind ? `[data-kind="${kind}"]` : ''}`;
    return this.page.locator(selector);
  }

  track(title: string): Locator {
    return this.page.getByTestId('track').filter({ has: this.page.getByTestId('track-title').getByText(title, { exact: true }) });
  }

  async addTrack(title: string, artist: string, album = ''): Promise<void> {
    const form = this.page.getByTestId('add-track');
    await form.getByLabel('Title').fill(title);
    await form.getByLabel('Artist').fill(artist);
    await form.getByLabel('Album').fill(album);
    await form.getByRole('button', { name: 'Add track' }).click();
    await expect(this.track(title)).toBeVisible();
  }

  /** Opens a plugin's config panel and returns the value shown for `key`. */
  async configValue(pluginId: string, key: string): Promise<Locator> {
    const plugin = this.plugin(pluginId);
    const details = plugin.locator('details').filter({ has: this.page.locator('summary', { hasText: /^Config$/ }) });
    if (!(await details.evaluate((d) => (d as HTMLDetailsElement).open))) await details.locator('summary').click();
    return plugin.locator(`tr[data-key="${key}"] [data-testid="config-value"]`);
  }

  /** Every record the trace holds, as the page has it (the summary list draws only the rows in view). */
  traceRecords(): Promise<TraceRecordSeen[]> {
    return this.page.evaluate(() => {
      type Host = HTMLElement & { playground: { trace: { records(): unknown[] } } };
      return (document.querySelector('pp-app') as Host).playground.trace.records() as TraceRecordSeen[];
    });
  }

  /** Sets a plugin's config key from its card, as an admin does. */
  async setConfig(pluginId: string, key: string, value: string): Promise<void> {
    await this.configValue(pluginId, key);
    const form = this.plugin(pluginId).locator('pp-plugin-config form');
    await form.getByLabel('Config key').fill(key);
    await form.getByLabel('Config value').fill(value);
    await form.getByRole('button', { name: 'Set' }).click();
  }
}

export const test = base.extend<{ playground: PlaygroundPage }>({
  playground: async ({ page }, use) => {
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    const playground = new PlaygroundPage(page);
    await playground.open();
    await use(playground);
    expect(errors, 'uncaught errors in the page').toEqual([]);
  },
});

export { expect };
