import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, fileAt, root, test, testPluginManifest, testPluginPath, textFile } from './fixtures.ts';

// A server of the panel's choosing: it counts every request (and WebSocket upgrade) that reaches it.
let server: Server;
let remote = '';
const arrived: string[] = [];

test.beforeAll(async () => {
  server = createServer((request, response) => {
    arrived.push(`${request.method} ${request.url}`);
    response.writeHead(200, { 'content-type': 'text/plain', 'access-control-allow-origin': '*' }).end('ok');
  });
  server.on('upgrade', (request, socket) => {
    arrived.push(`UPGRADE ${request.url}`);
    socket.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  remote = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

test.afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

test.beforeEach(async ({ page }) => {
  // The server is reachable from this browser: whatever the panel does not reach, it could have.
  arrived.length = 0;
  await page.evaluate((url) => fetch(url, { mode: 'no-cors' }).then(() => undefined), `${remote}/control`);
  expect(arrived).toEqual(['GET /control']);
  arrived.length = 0;
});

// Each test uploads the component, so it is transpiled afresh: that can take a while on a busy machine.
test.slow();

const hostilePanel = () => readFileSync(`${root}/tests/plugins/panel-escape/ui/panel.html`, 'utf8').replaceAll('__REMOTE__', remote);

test('a panel that tries every way to send out the track reaches nothing, and one that navigates itself is closed', async ({ playground, page }) => {
  await playground.upload(
    fileAt(testPluginPath('panel-escape')),
    textFile('plugin.toml', testPluginManifest('panel-escape')),
    textFile('panel.html', hostilePanel()),
  );
  await expect(playground.status).toContainText('Installed panel-escape', { timeout: 60_000 });

  // Before it runs, the review says it shows a scripted panel, and what that panel can and cannot do.
  await playground.plugin('panel-escape').getByTestId('enable').click();
  const review = playground.reviewDialog('panel-escape');
  await expect(review.getByTestId('review-panel').locator('li')).toHaveText([
    'A scripted page shown beside the selected track: it is told the selected track and can ask the plugin to act',
    "The panel cannot load or send anything over the network, read this app's data, or change the page around it",
    'It could still send what it is told out through WebRTC, which browsers do not let a page switch off',
  ]);
  await playground.approve('panel-escape');
  await expect(playground.plugin('panel-escape')).toHaveAttribute('data-state', 'running');

  const panel = page.getByTestId('track-detail').frameLocator('iframe[data-plugin="panel-escape"]');
  await expect(page.getByTestId('panel-panel-escape')).toHaveAttribute('csp', /^default-src 'none'; script-src 'unsafe-inline';/);
  await playground.track('Take Five').getByTestId('track-title').click();
  await expect(panel.locator('#status')).toHaveText('Tried 10 ways out with "Take Five".');
  await expect(panel.locator('#outcomes li')).toHaveText([
    'fetch: blocked (connect-src)',
    'no-cors fetch: blocked (connect-src)',
    'sendBeacon: blocked (connect-src)',
    'img: blocked (img-src)',
    'css url(): blocked (img-src)',
    /^link prefetch: blocked \((default|prefetch)-src\)$/,
    'WebSocket: blocked (connect-src)',
    'EventSource: blocked (connect-src)',
    'form submit: submit() called',
    'window.open: no window opened',
  ]);
  // The panel is still the plugin's own: its report reaches the plugin.
  await expect(playground.trace('panel-escape', 'log')).toContainText([/the panel says tried: .*"fetch":"blocked \(connect-src\)"/]);
  expect(arrived).toEqual([]);

  await panel.getByRole('button', { name: 'Leave' }).click();
  await expect(page.getByTestId('panel-escaped-panel-escape')).toHaveText(
    'The panel-escape panel tried to load another page and was closed. Disable and enable the plugin to show it again.',
  );
  await expect(page.getByTestId('panel-panel-escape')).toHaveCount(0);
  await expect(playground.trace('panel-escape', 'error')).toContainText([
    'its track-detail-sidebar panel loaded another page (it navigated, reloaded or refreshed itself); the panel was closed and nothing from that frame is accepted',
  ]);
  expect(arrived).toEqual([]);
});

test('a panel that refreshes itself to a remote page is closed, and comes back when the plugin is enabled again', async ({ playground, page }) => {
  await playground.upload(
    fileAt(testPluginPath('panel-escape')),
    textFile('plugin.toml', testPluginManifest('panel-escape')),
    textFile('panel.html', hostilePanel()),
  );
  await expect(playground.status).toContainText('Installed panel-escape', { timeout: 60_000 });
  await playground.enable('panel-escape');
  const panel = page.getByTestId('track-detail').frameLocator('iframe[data-plugin="panel-escape"]');

  await panel.getByRole('button', { name: 'Refresh' }).click();
  await expect(page.getByTestId('panel-escaped-panel-escape')).toBeVisible();
  await expect(playground.trace('panel-escape', 'error')).toHaveCount(1);

  await playground.plugin('panel-escape').getByTestId('disable').click();
  await expect(page.getByTestId('panel-escaped-panel-escape')).toHaveCount(0);
  await playground.enable('panel-escape');
  await expect(panel.locator('#status')).toHaveText('Waiting for a track.');
  await expect(page.getByTestId('panel-escaped-panel-escape')).toHaveCount(0);
  expect(arrived).toEqual([]);
});
