import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { test as base, expect, type Locator, type Page } from '@playwright/test';

export const root = fileURLToPath(new URL('../..', import.meta.url));
/** Third-party material shared beside the repository (never copied into it). */
export const shared = fileURLToPath(new URL('../../../shared', import.meta.url));

export function sampleBytes(name: string): Buffer {
  return readFileSync(`${root}/public/samples/${name}.wasm`);
}

/** Drives the playground the way a person does: file input, buttons, reading the page. */
export class PlaygroundPage {
  constructor(readonly page: Page) {}

  async open(): Promise<void> {
    await this.page.goto('/');
    await expect(this.page.getByTestId('sample-hello-events')).toBeEnabled();
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
    await expect(this.status).toContainText(`Installed ${name}`);
  }

  async upload(...files: Array<string | { name: string; mimeType: string; buffer: Buffer }>): Promise<void> {
    await this.page.getByTestId('file-input').setInputFiles(files as never);
  }

  async enable(id: string): Promise<void> {
    await this.plugin(id).getByTestId('enable').click();
    await expect(this.plugin(id)).toHaveAttribute('data-state', 'running');
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
    const details = plugin.locator('details').filter({ hasText: 'Config' });
    if (!(await details.evaluate((d) => (d as HTMLDetailsElement).open))) await details.locator('summary').click();
    return plugin.locator(`tr[data-key="${key}"] [data-testid="config-value"]`);
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
