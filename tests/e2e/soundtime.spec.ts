import type { Route } from '@playwright/test';
import { expect, fileAt, sampleManifest, samplePath, test, testPluginManifest, testPluginPath, textFile, type PlaygroundPage } from './fixtures.ts';

const CORS = {
  'access-control-allow-origin': '*',
  'access-control-allow-headers': 'authorization, content-type, accept',
  'access-control-allow-methods': 'GET, POST',
};

async function fulfil(route: Route, body: string): Promise<void> {
  if (route.request().method() === 'OPTIONS') return route.fulfill({ status: 204, headers: CORS });
  return route.fulfill({ status: 200, headers: { ...CORS, 'content-type': 'application/json' }, body });
}

async function setConfig(playground: PlaygroundPage, pluginId: string, key: string, value: string): Promise<void> {
  await playground.setConfig(pluginId, key, value);
  await expect(await playground.configValue(pluginId, key)).toHaveText(value);
}

/** Uploads a SoundTime test module with its plugin.toml and enables it. */
async function installTestModule(playground: PlaygroundPage, name: string, manifest = testPluginManifest(name)): Promise<void> {
  await playground.upload(fileAt(testPluginPath(name)), textFile('plugin.toml', manifest));
  await expect(playground.status).toContainText(`Installed ${name}`);
  await playground.enable(name);
}

const playFirstTrack = (playground: PlaygroundPage) => playground.page.getByTestId('track').first().getByTestId('play').click();

test.describe('SoundTime plugins (Extism modules)', () => {
  test('the lyrics fetcher, built with the AssemblyScript PDK, fetches through the proxy and sets lyrics', async ({ playground, page }) => {
    const asked: string[] = [];
    await page.route('https://api.lyrics.ovh/**', (route) => {
      asked.push(`${route.request().method()} ${route.request().url()}`);
      return fulfil(route, JSON.stringify({ lyrics: 'So what, so what' }));
    });
    await expect(page.getByTestId('soundtime-samples').getByTestId('sample-soundtime-lyrics')).toBeVisible();
    await playground.installSample('soundtime-lyrics');
    await playground.plugin('soundtime-lyrics').getByTestId('enable').click();
    await expect(playground.reviewDialog('soundtime-lyrics').getByTestId('review-permissions')).toContainText('api.lyrics.ovh');
    await playground.approve('soundtime-lyrics');
    await expect(playground.plugin('soundtime-lyrics')).toHaveAttribute('data-state', 'running');

    await playground.addTrack('So What', 'Miles Davis');
    await expect(playground.track('So What').getByTestId('track-lyrics')).toHaveText('So what, so what');
    await expect(playground.trace('soundtime-lyrics', 'event')).toContainText([/on_track_added/]);
    await expect(playground.trace('soundtime-lyrics', 'host-call')).toContainText([
      /http-get\("https:\/\/api\.lyrics\.ovh\/v1\/Miles%20Davis\/So%20What", \[\]\)/,
      /set-track-lyrics\(/,
    ]);
    await expect(playground.trace('soundtime-lyrics', 'log')).toContainText(['[info] Lyrics found for: Miles Davis - So What']);
    await expect(playground.trace('soundtime-lyrics', 'event-result')).toContainText([/✓ on_track_added handled/]);
    expect(asked).toEqual(['GET https://api.lyrics.ovh/v1/Miles%20Davis/So%20What']);
  });

  test('the scrobbler warns without a token, then posts the play with it', async ({ playground, page }) => {
    const posted: Array<{ auth: string | null; body: unknown }> = [];
    await page.route('https://api.listenbrainz.org/**', (route) => {
      if (route.request().method() === 'POST')
        posted.push({ auth: route.request().headerValue('authorization') as never, body: route.request().postDataJSON() });
      return fulfil(route, '{"status":"ok"}');
    });
    await playground.installSample('soundtime-scrobbler');
    await playground.enable('soundtime-scrobbler');
    await playFirstTrack(playground);
    await expect(playground.trace('soundtime-scrobbler', 'log')).toContainText([/\[warn\] api_token is not configured/]);
    expect(posted).toEqual([]);

    await setConfig(playground, 'soundtime-scrobbler', 'api_token', 'tok-123');
    await playFirstTrack(playground);
    await expect(playground.trace('soundtime-scrobbler', 'log')).toContainText([/\[warn\] api_token/, /\[info\] scrobbled ".*": HTTP 200/]);
    await expect(playground.trace('soundtime-scrobbler', 'host-call')).toContainText([
      /get-config\("api_token"\)/,
      /get-config\("api_token"\)/,
      /get-track\(/,
      /http-post\("https:\/\/api\.listenbrainz\.org\/1\/submit-listens"/,
    ]);
  });

  test('the webhook notifier posts an envelope for its events to the configured URL', async ({ playground, page }) => {
    const bodies: unknown[] = [];
    await page.route('https://hooks.example.net/**', (route) => {
      if (route.request().method() === 'POST') bodies.push(route.request().postDataJSON());
      return fulfil(route, '{}');
    });
    await playground.installSample('soundtime-webhook');
    await playground.plugin('soundtime-webhook').getByTestId('enable').click();
    await expect(playground.reviewDialog('soundtime-webhook')).toContainText(/any host/i);
    await playground.approve('soundtime-webhook');
    await setConfig(playground, 'soundtime-webhook', 'webhook_url', 'https://hooks.example.net/soundtime');
    await page.getByTestId('peer-connect').click();
    await expect.poll(() => bodies.length).toBe(1);
    expect(bodies[0]).toMatchObject({ event: 'on_peer_connected', data: { peer_id: 'peer-1', domain: 'music.example.org' } });
  });

  test('a plugin written for the real backend answers with host_requests, each checked and traced', async ({ playground }) => {
    await playground.installSample('soundtime-tagger');
    await playground.enable('soundtime-tagger');
    await playground.addTrack('Moonlight Sonata', 'Beethoven');
    await expect(playground.track('Moonlight Sonata').getByTestId('track-genre')).toHaveText('Classical');
    await expect(playground.trace('soundtime-tagger', 'host-request')).toContainText([/host_request set_track_metadata .*: applied/]);
    await expect(playground.trace('soundtime-tagger', 'host-call')).toContainText([/set-track-metadata\(/]);
    // Play counts go through set_config requests and are read back with Extism's config_get.
    const trackId = await playground.track('Moonlight Sonata').getAttribute('data-track-id');
    await playground.track('Moonlight Sonata').getByTestId('play').click();
    await expect(await playground.configValue('soundtime-tagger', `plays:${trackId}`)).toHaveText('1');
    await playground.track('Moonlight Sonata').getByTestId('play').click();
    await expect(await playground.configValue('soundtime-tagger', `plays:${trackId}`)).toHaveText('2');
  });

  test('a host function the manifest does not allow fails the call with the host message', async ({ playground }) => {
    const manifest = sampleManifest('soundtime-lyrics').replace('write_tracks = true', 'write_tracks = false');
    await playground.page.route('https://api.lyrics.ovh/**', (route) => fulfil(route, JSON.stringify({ lyrics: 'la' })));
    await playground.upload(fileAt(samplePath('soundtime-lyrics')), textFile('plugin.toml', manifest));
    await expect(playground.status).toContainText('Installed soundtime-lyrics');
    await playground.enable('soundtime-lyrics');
    await playground.addTrack('Blue in Green', 'Miles Davis');
    await expect(playground.trace('soundtime-lyrics', 'permission')).toContainText([/DENIED set-track-lyrics: permission denied/]);
    await expect(playground.trace('soundtime-lyrics', 'event-result')).toContainText([/✗ on_track_added failed .*permission denied/]);
    await expect(playground.track('Blue in Green').getByTestId('track-lyrics')).toHaveCount(0);
  });

  test("a spinning handler runs out of SoundTime's fuel and the next event gets a fresh instance", async ({ playground }) => {
    await installTestModule(playground, 'soundtime-spinner');
    await playFirstTrack(playground);
    await expect(playground.trace('soundtime-spinner', 'event-result')).toContainText([
      /✗ on_track_played failed after .*: out of fuel: the call used its budget of 1,000,000 fuel/,
    ]);
    await expect(playground.trace('soundtime-spinner', 'lifecycle')).toContainText([/trapped: out of fuel: .*a fresh worker serves the next event/]);
    await playground.addTrack('After the spin', 'Nobody');
    await expect(playground.trace('soundtime-spinner', 'event-result')).toContainText([
      /out of fuel/,
      /✓ on_track_added handled in [\d.]+ ms \(guest time [\d.]+ ms\), [\d,]+ fuel/,
    ]);
  });

  test('with more fuel than it can burn, a spinning handler is killed by the time limit', async ({ playground }) => {
    await playground.setLimit('fuel', '1000000000000');
    await playground.setLimit('timeLimitMs', '1000');
    await installTestModule(playground, 'soundtime-spinner');
    await playFirstTrack(playground);
    await expect(playground.trace('soundtime-spinner', 'event-result')).toContainText([
      /✗ on_track_played timeout after .*: killed: the call ran past its time limit of 1000 ms/,
    ]);
    await playground.addTrack('After the spin', 'Nobody');
    await expect(playground.trace('soundtime-spinner', 'event-result')).toContainText([/timeout/, /✓ on_track_added handled/]);
  });

  test('a trapping handler is contained: the instance is discarded and the next event runs', async ({ playground }) => {
    await installTestModule(playground, 'soundtime-trapper');
    await playFirstTrack(playground);
    await expect(playground.trace('soundtime-trapper', 'event-result')).toContainText([/✗ on_track_played failed .*trapped/]);
    await playground.addTrack('After the trap', 'Nobody');
    await expect(playground.trace('soundtime-trapper', 'event-result')).toContainText([/trapped/, /✓ on_track_added handled/]);
  });

  test('memory growth stops at the memory limit inside the plugin', async ({ playground }) => {
    await playground.setLimit('memoryMiB', '4');
    await installTestModule(playground, 'soundtime-memory-hog');
    await playFirstTrack(playground);
    await expect(playground.trace('soundtime-memory-hog', 'event-result')).toContainText([/✗ on_track_played failed/]);
    await expect(playground.trace('soundtime-memory-hog', 'log')).toContainText([/[0-4](\.\d+)? MiB|pages/]);
    await playground.addTrack('Still alive', 'Nobody');
    await expect(playground.trace('soundtime-memory-hog', 'event-result')).toContainText([/failed/, /✓ on_track_added handled/]);
  });

  test('bad modules are refused with a message naming the problem', async ({ playground }) => {
    await playground.upload(fileAt(testPluginPath('soundtime-missing-import')), textFile('plugin.toml', testPluginManifest('soundtime-missing-import')));
    await expect(playground.uploadError).toContainText('extism:host/user.not_a_host_function');
    await playground.upload(fileAt(testPluginPath('soundtime-no-handlers')), textFile('plugin.toml', testPluginManifest('soundtime-no-handlers')));
    await expect(playground.uploadError).toContainText('exports no event handler');
  });

  test('output that is not JSON, unknown or malformed host_requests and a flood are bounded, traced refusals', async ({ playground }) => {
    await installTestModule(playground, 'soundtime-bad-output');
    await playground.addTrack('Not JSON', 'Nobody');
    await expect(playground.trace('soundtime-bad-output', 'error')).toContainText([/output is not JSON/]);
    await playFirstTrack(playground);
    await expect(playground.trace('soundtime-bad-output', 'host-request')).toContainText([/ignored/, /refused/]);
    await expect(playground.trace('soundtime-bad-output', 'event-result')).toContainText([/✓ on_track_added/, /✓ on_track_played/]);

    // Writing 100,000 requests (about 7 MB of JSON, built in AssemblyScript: some 10^9 fuel)
    // takes far more than SoundTime's 1,000,000 fuel, as it would in SoundTime, and more than
    // 32 MiB of memory.
    await playground.setLimit('fuel', '1000000000000');
    await playground.setLimit('memoryMiB', '64');
    await installTestModule(playground, 'soundtime-request-flood');
    await playground.addTrack('Flood', 'Nobody');
    await expect(playground.trace('soundtime-request-flood', 'error')).toContainText([/99000 host_requests were dropped/]);
    await expect(playground.trace('soundtime-request-flood', 'event-result')).toContainText([/✓ on_track_added/]);
  });
});
