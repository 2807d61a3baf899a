import { readFileSync } from 'node:fs';
import ts from 'typescript';
import type { Page, Route } from '@playwright/test';
import { SPECIAL_USE_SUFFIXES } from '../../src/shared/special-names.ts';
import { HTTP_POLICY_CASES } from '../unit/http-policy.cases.ts';
import { expect, root, test, type PlaygroundPage } from './fixtures.ts';

const CORS = {
  'access-control-allow-origin': '*',
  'access-control-allow-headers': 'authorization, content-type, accept',
  'access-control-allow-methods': 'GET, POST',
};

/** Every request the page or its workers make to anything but the app itself. */
function outsideRequests(page: Page): string[] {
  const seen: string[] = [];
  const app = new URL(page.url()).host;
  page.context().on('request', (request) => {
    const url = new URL(request.url());
    // blob: is a worker importing its own transpiled bindings; nothing leaves the browser.
    if (url.protocol === 'blob:' || url.protocol === 'data:') return;
    if (url.host !== app) seen.push(`${request.method()} ${request.url()}`);
  });
  return seen;
}

async function fulfil(route: Route, body: string, status = 200, headers: Record<string, string> = {}): Promise<void> {
  if (route.request().method() === 'OPTIONS') return route.fulfill({ status: 204, headers: CORS });
  return route.fulfill({ status, headers: { ...CORS, 'content-type': 'application/json', ...headers }, body });
}

/**
 * A src/shared module and the modules it imports as one script for the page, so the policy runs
 * on the browser's own URL parser. Each module is transpiled to CommonJS and gets a tiny require.
 */
function sharedModuleScript(entry: string, global: string): string {
  const modules = new Map<string, string>();
  const visit = (file: string) => {
    if (modules.has(file)) return;
    const source = readFileSync(`${root}/src/shared/${file}`, 'utf8');
    const js = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 } }).outputText;
    modules.set(file, js);
    for (const [, dep] of js.matchAll(/require\("\.\/([\w-]+\.ts)"\)/g)) visit(dep!);
  };
  visit(entry);
  const defs = [...modules].map(([file, js]) => `${JSON.stringify(file)}: function (exports, require) {\n${js}\n}`).join(',\n');
  return `window.${global} = (function () {
    var defs = {${defs}};
    var loaded = {};
    function load(file) {
      if (!loaded[file]) { loaded[file] = {}; defs[file](loaded[file], function (path) { return load(path.slice(2)); }); }
      return loaded[file];
    }
    return load(${JSON.stringify(entry)});
  })();`;
}

async function setConfig(playground: PlaygroundPage, pluginId: string, key: string, value: string): Promise<void> {
  await playground.configValue(pluginId, key);
  const form = playground.plugin(pluginId).locator('pp-plugin-config form');
  await form.getByLabel('Config key').fill(key);
  await form.getByLabel('Config value').fill(value);
  await form.getByRole('button', { name: 'Set' }).click();
  await expect(await playground.configValue(pluginId, key)).toHaveText(value);
}

test.describe('network through the allowlisted proxy', () => {
  test('lyrics-fetcher asks only api.lyrics.ovh, and the lyrics show on the track', async ({ playground, page }) => {
    const requests = outsideRequests(page);
    await page.route('https://api.lyrics.ovh/**', (route) => fulfil(route, JSON.stringify({ lyrics: 'Yesterday, all my troubles seemed so far away' })));
    await playground.installSample('lyrics-fetcher');
    await playground.plugin('lyrics-fetcher').getByTestId('enable').click();
    await expect(playground.reviewDialog('lyrics-fetcher').getByTestId('review-permissions')).toContainText('api.lyrics.ovh');
    await playground.approve('lyrics-fetcher');

    await playground.addTrack('Yesterday', 'The Beatles');
    await expect(playground.track('Yesterday').getByTestId('track-lyrics')).toHaveText('Yesterday, all my troubles seemed so far away');
    await expect(playground.trace('lyrics-fetcher', 'http')).toContainText([
      /allowed GET https:\/\/api\.lyrics\.ovh\/v1\/The%20Beatles\/Yesterday: .*api\.lyrics\.ovh/,
    ]);
    await expect(playground.trace('lyrics-fetcher', 'http-response')).toContainText([
      /200 from https:\/\/api\.lyrics\.ovh\/v1\/The%20Beatles\/Yesterday: 58 bytes/,
    ]);
    expect(requests).toEqual(['GET https://api.lyrics.ovh/v1/The%20Beatles/Yesterday']);
  });

  test('the scrobbler warns without a token, then posts the play with it', async ({ playground, page }) => {
    const requests = outsideRequests(page);
    const posted: Array<{ auth?: string; body: unknown }> = [];
    await page.route('https://api.listenbrainz.org/**', async (route) => {
      if (route.request().method() === 'POST') posted.push({ auth: route.request().headers()['authorization'], body: route.request().postDataJSON() });
      await fulfil(route, '{"status":"ok"}');
    });
    await playground.installSample('listenbrainz-scrobbler');
    await playground.enable('listenbrainz-scrobbler');
    await playground.track('Take Five').getByTestId('play').click();
    await expect(playground.trace('listenbrainz-scrobbler', 'log')).toContainText(['[warn] api_token is not configured']);
    expect(requests).toEqual([]);

    await setConfig(playground, 'listenbrainz-scrobbler', 'api_token', 'secret-token');
    await playground.track('Take Five').getByTestId('play').click();
    await expect(playground.trace('listenbrainz-scrobbler', 'log')).toContainText(['scrobbled "Take Five": HTTP 200']);
    expect(posted).toHaveLength(1);
    expect(posted[0]!.auth).toBe('Token secret-token');
    expect(posted[0]!.body).toMatchObject({
      listen_type: 'single',
      payload: [{ track_metadata: { artist_name: 'The Dave Brubeck Quartet', track_name: 'Take Five', release_name: 'Time Out' } }],
    });
  });

  test('the webhook notifier is flagged as reaching any host, and posts an envelope to the configured URL', async ({ playground, page }) => {
    const posted: unknown[] = [];
    await page.route('https://hooks.example.net/**', async (route) => {
      if (route.request().method() === 'POST') posted.push(route.request().postDataJSON());
      await fulfil(route, '{}');
    });
    await playground.installSample('webhook-notifier');
    await playground.plugin('webhook-notifier').getByTestId('enable').click();
    const dialog = playground.reviewDialog('webhook-notifier');
    await expect(dialog.getByTestId('review-any-host')).toBeVisible();
    await expect(dialog.locator('li.any-host')).toContainText('ANY host');
    await playground.approve('webhook-notifier');
    await setConfig(playground, 'webhook-notifier', 'webhook_url', 'https://hooks.example.net/in');

    await page.getByTestId('peer-connect').click();
    await expect(playground.trace('webhook-notifier', 'log')).toContainText(['delivered on_peer_connected to https://hooks.example.net/in: HTTP 200']);
    expect(posted).toEqual([
      {
        event: 'on_peer_connected',
        instance: 'localhost:4173',
        timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
        data: { peerId: 'peer-1', domain: 'music.example.org' },
      },
    ]);
  });

  test('under http_hosts = ["*"], the webhook notifier cannot reach a special-use name, and no request is made', async ({ playground, page }) => {
    test.slow(); // one config change and one event per suffix
    const targets = [...SPECIAL_USE_SUFFIXES.map((suffix) => `hooks.${suffix}`), 'test'];
    const reached: string[] = [];
    page.context().on('request', (request) => {
      if (targets.includes(new URL(request.url()).hostname)) reached.push(request.url());
    });
    await playground.installSample('webhook-notifier');
    await playground.enable('webhook-notifier');
    const denials = playground.trace('webhook-notifier', 'http');
    for (const [i, host] of targets.entries()) {
      const suffix = host === 'test' ? 'test' : host.slice('hooks.'.length);
      await setConfig(playground, 'webhook-notifier', 'webhook_url', `https://${host}/in`);
      await page.getByTestId('peer-connect').click();
      await expect(denials).toHaveCount(i + 1);
      await expect(denials.nth(i)).toContainText(`DENIED POST https://${host}/in: '${host}' is `);
      await expect(denials.nth(i)).toContainText(`(.${suffix}), which "*" and "*." entries never reach; list it exactly in http_hosts to allow it`);
    }
    await expect(playground.trace('webhook-notifier', 'http-response')).toHaveCount(0);
    expect(reached).toEqual([]);
  });

  test('bad-neighbour tries every bypass and everything is refused without a single request', async ({ playground, page }) => {
    const requests = outsideRequests(page);
    await playground.installSample('bad-neighbour');
    await playground.enable('bad-neighbour');
    await page.getByTestId('peer-connect').click();
    await expect(playground.trace('bad-neighbour', 'log')).toContainText(['22 of 22 bypass attempts were refused']);
    await expect(playground.trace('bad-neighbour', 'log').filter({ hasText: 'GOT THROUGH' })).toHaveCount(0);
    await expect(playground.trace('bad-neighbour', 'http').filter({ hasText: 'allowed GET' })).toHaveCount(0);
    await expect(playground.trace('bad-neighbour', 'http').filter({ hasText: 'DENIED GET' })).toHaveCount(22);
    await expect(playground.trace('bad-neighbour', 'log')).toContainText([
      "refused https://evil.example/steal: http request refused: host 'evil.example' is not in http_hosts",
    ]);
    expect(requests).toEqual([]);
  });

  test('a redirect is not followed, a slow server times out, and an oversized body is cut off', async ({ playground, page }) => {
    const requests = outsideRequests(page);
    let mode: 'redirect' | 'slow' | 'huge' = 'redirect';
    await page.route('https://api.lyrics.ovh/**', async (route) => {
      if (mode === 'redirect') return fulfil(route, '', 302, { location: 'https://evil.example/' });
      if (mode === 'huge') return fulfil(route, JSON.stringify({ lyrics: 'x'.repeat(11 * 1024 * 1024) }));
      await new Promise((resolve) => setTimeout(resolve, 3000));
      return fulfil(route, '{"lyrics":"late"}').catch(() => {});
    });
    await playground.setLimit('httpTimeoutSecs', '1');
    await playground.installSample('lyrics-fetcher');
    await playground.enable('lyrics-fetcher');

    await playground.addTrack('Redirected', 'Somebody');
    await expect(playground.trace('lyrics-fetcher', 'log')).toContainText(['lyrics request failed: redirect to another location was blocked']);
    mode = 'slow';
    await playground.addTrack('Slow Song', 'Somebody');
    await expect(playground.trace('lyrics-fetcher', 'log')).toContainText([
      'redirect to another location was blocked',
      'lyrics request failed: timed out after 1 s',
    ]);
    mode = 'huge';
    // Streaming 11 MiB can outlast a 1 s timeout on a loaded machine: the body cap is what this step checks.
    await playground.setLimit('httpTimeoutSecs', '30');
    await playground.addTrack('Epic', 'Somebody');
    await expect(playground.trace('lyrics-fetcher', 'log')).toContainText(['redirect', 'timed out', 'lyrics request failed: response larger than 10 MiB']);
    expect(requests.filter((r) => r.includes('evil.example'))).toEqual([]);
    await expect(playground.track('Epic').getByTestId('track-lyrics')).toHaveCount(0);
  });

  test('a plugin worker has no fetch, sockets, storage or nested workers', async ({ playground, page }) => {
    await playground.installSample('hello-events');
    const started = page.waitForEvent('worker', (w) => w.url().includes('plugin-worker'));
    await playground.enable('hello-events');
    const worker = await started;
    const reachable = await worker.evaluate(() => {
      const names = ['fetch', 'XMLHttpRequest', 'WebSocket', 'EventSource', 'importScripts', 'Worker', 'indexedDB', 'caches', 'BroadcastChannel'];
      const found: string[] = [];
      for (const name of names) {
        for (let target: object | null = self; target; target = Object.getPrototypeOf(target)) {
          if ((target as Record<string, unknown>)[name] !== undefined) found.push(`${name} on ${target.constructor?.name}`);
        }
      }
      try {
        Object.defineProperty(self, 'fetch', { value: () => 'back' });
        found.push('fetch could be redefined');
      } catch {
        // expected: pinned
      }
      return found;
    });
    expect(reachable).toEqual([]);
    await page.getByTestId('peer-connect').click();
    await expect(playground.trace('hello-events', 'event-result')).toContainText(['✓ on_peer_connected']);
  });

  test("the allowlist decisions hold in Chromium's own URL parser", async ({ page }) => {
    await page.addScriptTag({ content: sharedModuleScript('http-policy.ts', '__policy') });
    const verdicts = await page.evaluate((cases) => {
      const policy = (window as unknown as { __policy: { decideHttp(url: string, list: readonly string[]): { allowed: boolean; reason: string } } }).__policy;
      return cases.map((c) => {
        const { allowed, reason } = policy.decideHttp(c.url, c.allowlist);
        return { allowed, reason };
      });
    }, HTTP_POLICY_CASES);
    expect(verdicts).toHaveLength(HTTP_POLICY_CASES.length);
    const mismatches = HTTP_POLICY_CASES.flatMap((c, i) => {
      const got = verdicts[i]!;
      const ok = got.allowed === c.allowed && (!c.reasonIncludes || got.reason.includes(c.reasonIncludes));
      return ok ? [] : [`${c.url} with ${JSON.stringify(c.allowlist)}: expected ${c.allowed}, got ${got.allowed} (${got.reason})`];
    });
    expect(mismatches).toEqual([]);
  });
});
