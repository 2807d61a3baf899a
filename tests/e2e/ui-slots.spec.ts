import type { Frame, Page } from '@playwright/test';
import { expect, test } from './fixtures.ts';

async function panelFrame(page: Page): Promise<Frame> {
  await expect.poll(() => page.frames().filter((f) => f.url() === 'about:srcdoc').length).toBeGreaterThan(0);
  return page.frames().find((f) => f.url() === 'about:srcdoc')!;
}

test.describe('plugin UI panels in sandboxed iframes', () => {
  test.beforeEach(async ({ playground }) => {
    await playground.installSample('genre-tagger');
    await playground.enable('genre-tagger');
  });

  test('the panel renders in its slot, gets the current track, and its action reaches the plugin', async ({ playground, page }, testInfo) => {
    const panel = page.getByTestId('track-detail').getByTestId('panel-genre-tagger');
    await expect(panel).toHaveAttribute('sandbox', 'allow-scripts');
    const frame = page.getByTestId('track-detail').frameLocator('iframe[data-plugin="genre-tagger"]');
    await expect(frame.locator('#current')).toHaveText('Select a track to tag it.');

    await playground.track('Take Five').getByTestId('track-title').click();
    await expect(frame.locator('#current')).toHaveText('Take Five: no genre yet');
    await frame.getByRole('button', { name: 'Jazz' }).click();
    await expect(playground.track('Take Five').getByTestId('track-genre')).toHaveText('Jazz');
    await expect(playground.trace('genre-tagger', 'event')).toContainText([/on_plugin_event \{"source_plugin":"ui","event_name":"set-genre"/]);
    await expect(playground.trace('genre-tagger', 'log')).toContainText(['set Jazz on trk-2 from the panel']);
    // The context follows the change.
    await expect(frame.locator('#current')).toHaveText('Take Five: Jazz');

    // For reviewers: the main screen with a plugin, its panel and the trace.
    await page.setViewportSize({ width: 1400, height: 1000 });
    const shot = testInfo.outputPath('main-screen.png');
    await page.screenshot({ path: shot, fullPage: true });
    await testInfo.attach('main screen', { path: shot, contentType: 'image/png' });
  });

  test('messages from other frames, or in the wrong shape, are ignored and traced', async ({ playground, page }) => {
    await playground.track('Take Five').getByTestId('track-title').click();
    const forged = { type: 'playground:plugin-action', action: 'set-genre', payload: { trackId: 'trk-2', genre: 'Forged' } };

    await page.evaluate((data) => window.postMessage(data, '*'), forged);
    await page.evaluate((data) => {
      const frame = document.createElement('iframe');
      frame.setAttribute('sandbox', 'allow-scripts');
      frame.srcdoc = `<script>parent.postMessage(${JSON.stringify(data)}, '*')</script>`;
      document.body.append(frame);
    }, forged);
    await expect(playground.trace('ui', 'error')).toHaveCount(2);
    await expect(playground.trace('ui', 'error').first()).toContainText('ignored a plugin action that did not come from a plugin panel');

    const frame = await panelFrame(page);
    await frame.evaluate(() => parent.postMessage({ type: 'playground:plugin-action', action: 'set-genre', payload: {}, sneaky: true }, '*'));
    await frame.evaluate(() => parent.postMessage({ type: 'playground:plugin-action', action: 'set genre; drop tables' }, '*'));
    await expect(playground.trace('genre-tagger', 'error')).toContainText([
      'ignored a message from its track-detail-sidebar panel: unexpected keys action,payload,sneaky,type',
      'ignored a message from its track-detail-sidebar panel: action "set genre; drop tables" is not a short name',
    ]);
    await expect(playground.trace('genre-tagger', 'event')).toHaveCount(0);
    await expect(playground.track('Take Five').getByTestId('track-genre')).toHaveText('—');
  });

  test("the panel cannot reach the app's storage, cookies, IndexedDB or DOM", async ({ page }) => {
    await page.evaluate(() => {
      localStorage.setItem('app-secret', 's3cret');
      document.cookie = 'session=abc';
    });
    const frame = await panelFrame(page);
    const attempts = await frame.evaluate(async () => {
      const attempt = async (fn: () => unknown): Promise<string> => {
        try {
          const value = await fn();
          return `reached: ${String(value)}`;
        } catch (e) {
          return `blocked: ${(e as Error).name}`;
        }
      };
      return {
        origin: self.origin,
        localStorage: await attempt(() => localStorage.getItem('app-secret')),
        cookie: await attempt(() => document.cookie),
        indexedDB: await attempt(
          () =>
            new Promise((resolve, reject) => {
              const request = indexedDB.open('plugin-playground');
              request.onsuccess = () => resolve('opened');
              request.onerror = () => reject(request.error ?? new Error('error'));
            }),
        ),
        parentDom: await attempt(() => parent.document.title),
        topStorage: await attempt(() => (top as Window).localStorage.getItem('app-secret')),
      };
    });
    expect(attempts).toEqual({
      origin: 'null',
      localStorage: expect.stringMatching(/^blocked: SecurityError/),
      cookie: expect.stringMatching(/^blocked: SecurityError/),
      indexedDB: expect.stringMatching(/^blocked: /),
      parentDom: expect.stringMatching(/^blocked: SecurityError/),
      topStorage: expect.stringMatching(/^blocked: SecurityError/),
    });
  });
});
