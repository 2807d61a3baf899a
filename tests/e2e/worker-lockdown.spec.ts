import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize } from 'node:path';
import type { Page, Worker } from '@playwright/test';
import { workerPolicy } from '../../src/shared/csp.ts';
import { BLOCKED_GLOBALS, BLOCKED_NAVIGATOR } from '../../src/worker/lockdown.ts';
import { expect, root, test, type PlaygroundPage } from './fixtures.ts';

// A plugin cannot run JavaScript of its own, so these tests look inside the workers the way a
// debugger would (Playwright's worker.evaluate) and try what glue code gone wrong could try.

// A server that counts what reaches it: a module URL can carry data out in its query.
let counter: Server;
let remote = '';
const arrived: string[] = [];

test.beforeAll(async () => {
  counter = createServer((request, response) => {
    arrived.push(`${request.method} ${request.url}`);
    response.writeHead(200, { 'content-type': 'text/javascript', 'access-control-allow-origin': '*' }).end('export const leaked = true;');
  });
  await new Promise<void>((resolve) => counter.listen(0, '127.0.0.1', resolve));
  remote = `http://127.0.0.1:${(counter.address() as AddressInfo).port}`;
});

test.afterAll(async () => {
  await new Promise((resolve) => counter.close(resolve));
});

test.beforeEach(() => {
  arrived.length = 0;
});

async function worker(page: Page, name: 'plugin-worker' | 'compile-worker'): Promise<Worker> {
  await expect.poll(() => page.workers().some((w) => w.url().includes(name))).toBe(true);
  return page.workers().find((w) => w.url().includes(name))!;
}

/** What is left of the blocked globals, and what became of a remote import(), inside `w`. */
function probe(w: Worker, url: string) {
  return w.evaluate(
    async ({ url, globals, members }) => {
      const scope = self as unknown as Record<string, unknown>;
      const nav = navigator as unknown as Record<string, unknown>;
      // Chromium reports a refused load to the worker itself.
      const refused = new Promise<string>((resolve) =>
        self.addEventListener('securitypolicyviolation', (e) => resolve(`${e.effectiveDirective} refused ${e.blockedURI}`), { once: true }),
      );
      const imported = await import(/* @vite-ignore */ url).then(
        () => 'imported',
        (e: Error) => e.message,
      );
      return {
        globals: globals.filter((name) => scope[name] !== undefined),
        navigator: members.filter((name) => nav[name] !== undefined),
        imported,
        refused: await refused,
      };
    },
    { url, globals: [...BLOCKED_GLOBALS], members: [...BLOCKED_NAVIGATOR] },
  );
}

async function startHelloEvents(playground: PlaygroundPage): Promise<void> {
  await playground.page.getByTestId('sample-hello-events').click();
  // Transpiling takes a while on a busy machine.
  await expect(playground.status).toContainText('Installed hello-events', { timeout: 60_000 });
  // Running means the worker imported its bindings (a blob: module) and compiled its wasm.
  await playground.enable('hello-events');
}

test('a plugin worker has no network, storage, fonts or devices, and cannot import remote code', async ({ playground, page }) => {
  // The policy leaves what a plugin needs.
  await startHelloEvents(playground);
  const plugin = await worker(page, 'plugin-worker');

  expect(await probe(plugin, `${remote}/module.js?track=Take%20Five`)).toEqual({
    globals: [],
    navigator: [],
    imported: `Failed to fetch dynamically imported module: ${remote}/module.js?track=Take%20Five`,
    refused: `script-src-elem refused ${remote}/module.js?track=Take%20Five`,
  });
  expect((await probe(plugin, 'https://example.com/x.js')).refused).toBe('script-src-elem refused https://example.com/x.js');
  expect(arrived).toEqual([]);
});

test('the compile worker is locked down the same way, and still transpiles', async ({ playground, page }) => {
  await page.getByTestId('sample-hello-events').click();
  // Once transpiling is done, the worker has certainly locked itself down.
  await expect(playground.status).toContainText('Installed hello-events', { timeout: 60_000 });
  const compile = await worker(page, 'compile-worker');
  expect(await probe(compile, `${remote}/module.js`)).toEqual({
    globals: [],
    navigator: [],
    imported: `Failed to fetch dynamically imported module: ${remote}/module.js`,
    refused: `script-src-elem refused ${remote}/module.js`,
  });
  expect(arrived).toEqual([]);
});

test.describe('served by the service worker, offline', () => {
  // The built app on a server of its own that sends the worker headers as the Vite plugin does,
  // where the service worker may install (it is blocked in the other tests).
  const port = Number(process.env.PP_PORT ?? 4173) + 20;
  const dist = join(root, 'dist');
  const TYPES: Record<string, string> = {
    '.html': 'text/html',
    '.js': 'text/javascript',
    '.css': 'text/css',
    '.wasm': 'application/wasm',
    '.json': 'application/json',
  };
  let app: Server;

  test.use({ serviceWorkers: 'allow', baseURL: `http://localhost:${port}` });
  test.slow();

  test.beforeAll(async () => {
    app = createServer((request, response) => {
      const path = normalize(decodeURIComponent(new URL(request.url!, 'http://x').pathname));
      let file = join(dist, path === '/' ? 'index.html' : path);
      if (!file.startsWith(dist) || !existsSync(file) || statSync(file).isDirectory()) file = join(dist, 'index.html');
      const policy = workerPolicy(path);
      response.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', ...(policy ? { 'content-security-policy': policy } : {}) });
      createReadStream(file).pipe(response);
    });
    await new Promise<void>((resolve) => app.listen(port, resolve));
  });

  test.afterAll(async () => {
    await new Promise((resolve) => app.close(resolve));
  });

  test('a plugin worker from the cache keeps its policy', async ({ playground, page, context }) => {
    await expect(page.getByTestId('offline-ready')).toBeVisible({ timeout: 60_000 });
    await context.setOffline(true);
    await page.reload();
    await startHelloEvents(playground);
    const plugin = await worker(page, 'plugin-worker');
    // The precache stored the header with the script.
    const stored = await page.evaluate(async (url) => (await caches.match(url))?.headers.get('content-security-policy'), plugin.url());
    expect(stored).toBe(workerPolicy(new URL(plugin.url()).pathname));
    expect((await probe(plugin, 'https://example.com/x.js')).refused).toBe('script-src-elem refused https://example.com/x.js');
  });
});
