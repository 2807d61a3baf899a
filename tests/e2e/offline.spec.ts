import { createReadStream, existsSync, readFileSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { extname, join, normalize } from 'node:path';
import { expect, root, test } from './fixtures.ts';

// The built app on a server of its own, where a test can "deploy" a new version and where the
// service worker (blocked in the other tests) is allowed to install.
const PORT = 4176;
const dist = join(root, 'dist');
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.webmanifest': 'application/manifest+json',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.toml': 'text/plain; charset=utf-8',
};

/** Appended to the service worker script: a different script is a new deployment. */
let deployment = '';
let server: Server;

test.use({ serviceWorkers: 'allow', baseURL: `http://localhost:${PORT}` });

test.beforeAll(async () => {
  server = createServer((request, response) => {
    const path = normalize(decodeURIComponent(new URL(request.url!, 'http://x').pathname));
    let file = join(dist, path === '/' ? 'index.html' : path);
    if (!file.startsWith(dist) || !existsSync(file) || statSync(file).isDirectory()) file = join(dist, 'index.html');
    const headers = { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-cache' };
    if (file.endsWith('sw.js')) {
      response.writeHead(200, headers).end(readFileSync(file, 'utf8') + deployment);
      return;
    }
    response.writeHead(200, headers);
    createReadStream(file).pipe(response);
  });
  await new Promise<void>((resolve) => server.listen(PORT, resolve));
});

test.afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

test.beforeEach(() => {
  deployment = '';
});

test('the app is installable, and after one visit it loads, transpiles and runs a sample plugin with the network off', async ({
  playground,
  page,
  context,
}) => {
  await expect(page.getByTestId('offline-ready')).toBeVisible({ timeout: 60_000 });
  // Chromium's own verdict on the web app manifest, icons and service worker. A test context
  // is always incognito-like, which alone prevents installing.
  const devtools = await context.newCDPSession(page);
  const { installabilityErrors } = await devtools.send('Page.getInstallabilityErrors');
  expect(installabilityErrors.map((e) => e.errorId)).toEqual(['in-incognito']);
  const { errors } = await devtools.send('Page.getAppManifest');
  expect(errors).toEqual([]);
  await devtools.detach();

  await context.setOffline(true);
  await page.reload();
  await expect(page.getByTestId('sample-hello-events')).toBeEnabled();
  // Really offline: what the service worker does not have cannot be fetched.
  expect(
    await page.evaluate(() =>
      fetch('/not-cached').then(
        () => 'fetched',
        () => 'failed',
      ),
    ),
  ).toBe('failed');
  await playground.installSample('hello-events');
  await playground.enable('hello-events');
  await playground.track('Take Five').getByTestId('play').click();
  await expect(playground.trace('hello-events', 'lifecycle')).toContainText([/transpiled in \d+ ms/]);
  await expect(playground.trace('hello-events', 'event-result')).toContainText(['✓ on_track_played handled']);
  // The sample list and a panel's HTML come from the cache too.
  await playground.installSample('genre-tagger');
  await expect(playground.plugin('genre-tagger')).toBeVisible();
});

test('a new deployment shows an update prompt, and Reload switches to it', async ({ playground, page }) => {
  await expect(page.getByTestId('offline-ready')).toBeVisible({ timeout: 60_000 });
  await expect(page.getByTestId('update-prompt')).toHaveCount(0);
  await playground.installSample('hello-events');
  await playground.enable('hello-events');

  deployment = '\n// deployed again\n';
  await page.reload();
  await expect(page.getByTestId('update-prompt')).toContainText('A new version of Plugin Playground is available');
  const waiting = () => page.evaluate(async () => (await navigator.serviceWorker.getRegistration())?.waiting !== null);
  expect(await waiting()).toBe(true);

  const reloaded = page.waitForEvent('load');
  await page.getByTestId('update-reload').click();
  await reloaded;
  await expect(page.getByTestId('sample-hello-events')).toBeEnabled();
  await expect(page.getByTestId('update-prompt')).toHaveCount(0);
  expect(await waiting()).toBe(false);
  await expect(page.getByTestId('offline-ready')).toBeVisible();
  // The new version picks up where the old one was.
  await expect(playground.plugin('hello-events')).toHaveAttribute('data-state', 'running');
});
