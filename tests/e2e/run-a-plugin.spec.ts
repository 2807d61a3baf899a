import { expect, sampleBytes, test } from './fixtures.ts';

test.describe('run a plugin', () => {
  test('a sample installs disabled, shows its metadata and interface, and runs in its own worker when enabled', async ({ playground, page }) => {
    await playground.installSample('hello-events');
    const plugin = playground.plugin('hello-events');
    await expect(plugin).toHaveAttribute('data-state', 'installed');
    await expect(plugin.getByTestId('plugin-description')).toHaveText('Logs every event it receives and counts them in its config.');
    await expect(plugin).toContainText('0.1.0');
    await expect(plugin.getByTestId('plugin-imports')).toContainText('playground:plugin/host');
    await expect(plugin.getByTestId('plugin-exports')).toContainText('playground:plugin/guest@0.1.0');
    await playground.openTab('hello-events', 'wit');
    await expect(page.getByTestId('wit-view').locator('.monaco-editor')).toBeVisible();
    expect(await playground.editorValue('wit-view')).toContain('export playground:plugin/guest@0.1.0;');
    await playground.showTrace();
    // The compile worker did the transpiling, off the main thread.
    expect(page.workers().some((w) => w.url().includes('compile-worker'))).toBe(true);

    await playground.enable('hello-events');
    await expect(plugin.getByTestId('plugin-started')).toContainText('worker started');
    // Its worker, and perhaps a spare started ahead for the next plugin to start.
    const pluginWorkers = page.workers().filter((w) => w.url().includes('plugin-worker'));
    expect(pluginWorkers.length).toBeGreaterThan(0);

    await playground.track('Take Five').getByTestId('play').click();
    await expect(playground.trace('hello-events', 'event')).toContainText(['on_track_played']);
    await expect(playground.trace('hello-events', 'host-call')).toContainText([
      'set-config("events-seen", "1")',
      'get-instance-info() → {"name":"Plugin Playground"',
    ]);
    await expect(playground.trace('hello-events', 'log')).toContainText(['track-played {"trackId":"trk-2","userId":"usr-2"']);
    await expect(playground.trace('hello-events', 'event-result')).toContainText(['✓ on_track_played handled']);
    await expect(await playground.configValue('hello-events', 'events-seen')).toHaveText('1');
    await expect(playground.track('Take Five').getByTestId('track-plays')).toHaveText('1');

    // Disabling terminates its worker (and only that one).
    const closed = Promise.race(pluginWorkers.map((w) => w.waitForEvent('close').then(() => w)));
    await plugin.getByTestId('disable').click();
    const gone = await closed;
    expect(page.workers()).not.toContain(gone);
    await expect(plugin).toHaveAttribute('data-state', 'installed');
    await playground.track('Take Five').getByTestId('play').click();
    await expect(playground.track('Take Five').getByTestId('track-plays')).toHaveText('2');
    await expect(playground.trace('hello-events', 'event')).toHaveCount(1);
  });

  test('every media-server action reaches every enabled plugin as its event', async ({ playground, page }) => {
    await playground.installSample('hello-events');
    await playground.enable('hello-events');

    await playground.addTrack('Night Drive', 'Neon Coast', 'Late');
    await playground.track('Night Drive').getByTestId('play').click();
    await playground.track('Night Drive').getByTestId('delete-track').click();
    await expect(playground.track('Night Drive')).toHaveCount(0);
    const register = page.getByTestId('register-user');
    await register.getByLabel('Username').fill('carol');
    await register.getByRole('button', { name: 'Register' }).click();
    // The list is drawn again with carol in it (her random id may sort before alice's).
    await expect(page.getByTestId('user').filter({ hasText: '@carol' })).toBeVisible();
    await page.getByTestId('user').filter({ hasText: '@alice' }).getByTestId('login').click();
    await page.getByTestId('create-playlist').getByLabel('Playlist name').fill('Road trip');
    await page.getByTestId('create-playlist').getByRole('button').click();
    await page.getByTestId('scan-complete').click();
    await page.getByTestId('peer-connect').click();
    await page.getByTestId('peer-disconnect').click();

    const events = playground.trace('hello-events', 'event');
    await expect(events).toHaveCount(9);
    await expect(events).toContainText([
      'on_track_added {"track_id":',
      'on_track_played',
      'on_track_deleted',
      'on_user_registered',
      'on_user_login {"user_id":"usr-2"',
      'on_playlist_created',
      'on_library_scan_complete {"library_id":"lib-main"',
      'on_peer_connected {"peer_id":"peer-1","domain":"music.example.org"}',
      'on_peer_disconnected',
    ]);
    await expect(playground.trace('hello-events', 'event-result').filter({ hasText: '✗' })).toHaveCount(0);
    await expect(await playground.configValue('hello-events', 'events-seen')).toHaveText('9');
    await expect(page.getByTestId('user').filter({ hasText: '@carol' })).toBeVisible();
  });

  test('genre-tagger sets a genre the track view shows, and its emitted event reaches the other plugin', async ({ playground }) => {
    await playground.installSample('genre-tagger');
    await playground.installSample('hello-events');
    await playground.enable('genre-tagger');
    await playground.enable('hello-events');

    await playground.addTrack('Symphony No. 9', 'Berlin Philharmonic');
    await expect(playground.track('Symphony No. 9').getByTestId('track-genre')).toHaveText('Classical');
    await expect(playground.trace('genre-tagger', 'log')).toContainText(['tagged "Symphony No. 9" by Berlin Philharmonic as Classical']);
    await expect(playground.trace('genre-tagger', 'host-call')).toContainText(['set-track-genre(', 'emit-event("genre-tagged"']);
    // The emitted event goes to the other plugin, never back to its sender.
    await expect(playground.trace('hello-events', 'event')).toContainText(['on_plugin_event {"source_plugin":"genre-tagger","event_name":"genre-tagged"']);
    await expect(playground.trace('genre-tagger', 'event').filter({ hasText: 'on_plugin_event' })).toHaveCount(0);

    await playground.addTrack('Untitled', 'Nobody');
    await expect(playground.trace('genre-tagger', 'log')).toContainText(['no rule matched "Untitled" by Nobody']);
    await expect(playground.track('Untitled').getByTestId('track-genre')).toHaveText('—');
  });

  test('host-tour calls every host function and the results show in the trace and the library', async ({ playground }) => {
    await playground.installSample('host-tour');
    await playground.enable('host-tour');
    await playground.addTrack('Blue in Green', 'Miles Davis');

    const calls = playground.trace('host-tour', 'host-call');
    await expect(calls).toContainText([
      'get-track("',
      'search-tracks("Miles Davis", 1, 5) → {"tracks":[',
      'set-track-lyrics(',
      'set-track-metadata(',
      'list-users(1, 10) → [{"id":"usr-1","username":"admin"',
      'get-user("usr-1")',
      'set-config("last-track"',
      'set-config("scratch", "Blue in Green")',
      'get-config("scratch") → "Blue in Green"',
      'delete-config("scratch")',
      'get-instance-info()',
      'get-current-timestamp()',
      'http-get("https://example.com/", []) → err "http request refused: host \'example.com\' is not in http_hosts [\\"api.lyrics.ovh\\"]"',
      'get-track("no-such-track") → err "track \\"no-such-track\\" does not exist"',
      'emit-event("tour-finished"',
    ]);
    const logs = playground.trace('host-tour', 'log');
    await expect(logs).toContainText([
      '[info] "Blue in Green" by Miles Davis; 1 tracks by that artist',
      '[info] first user: admin',
      '[info] config round trip: Blue in Green',
      '[info] Plugin Playground 0.1.0 at localhost:4173: 7 tracks, 3 users',
      '[warn] http-get refused: http request refused: host \'example.com\' is not in http_hosts ["api.lyrics.ovh"]',
      '[error] get-track of a missing id fails cleanly',
    ]);
    // User records never carry secrets.
    await expect(calls.filter({ hasText: 'passwordHash' })).toHaveCount(0);
    const track = playground.track('Blue in Green');
    await expect(track.getByTestId('track-lyrics')).toHaveText('(placeholder lyrics for "Blue in Green", written by host-tour)');
    await expect(track.getByTestId('track-extra')).toHaveText('mood: curious · tagged-by: host-tour');
    await expect(await playground.configValue('host-tour', 'last-track')).toHaveText(/^trk-/);
    await expect(await playground.configValue('host-tour', 'scratch')).toHaveCount(0);
  });

  test('a StarlingMonkey plugin runs next to QuickJS ones', async ({ playground, page }) => {
    await playground.installSample('play-stats');
    await playground.enable('play-stats');
    await page.getByTestId('current-user').selectOption({ label: 'Alice Martin' });
    await playground.track('Cross Road Blues').getByTestId('play').click();
    await expect(playground.trace('play-stats', 'log')).toContainText([
      'Alice Martin played "Cross Road Blues" (1 plays counted here, 1 in the library)',
      'new most played track: "Cross Road Blues"',
    ]);
    await page.getByTestId('scan-complete').click();
    await expect(playground.trace('play-stats', 'log')).toContainText(['library has 6 tracks and 3 users']);
    await expect(await playground.configValue('play-stats', 'top')).toHaveText('trk-3');
  });

  test('a component picked with the file button or dropped on the upload area installs', async ({ playground, page }) => {
    await playground.upload({ name: 'my-hello.wasm', mimeType: 'application/wasm', buffer: sampleBytes('hello-events') });
    await expect(playground.status).toContainText('Installed hello-events 0.1.0');
    await expect(playground.plugin('hello-events')).toContainText('my-hello.wasm');

    const bytes = [...sampleBytes('genre-tagger')];
    await page.getByTestId('drop-zone').evaluate((zone, data) => {
      const transfer = new DataTransfer();
      transfer.items.add(new File([new Uint8Array(data)], 'dropped.wasm', { type: 'application/wasm' }));
      zone.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
    }, bytes);
    await expect(playground.status).toContainText('Installed genre-tagger 0.1.0');
    await expect(playground.plugin('genre-tagger')).toContainText('dropped.wasm');
  });

  test('removing a plugin asks first, then deletes it and its config', async ({ playground, page }) => {
    await playground.installSample('hello-events');
    await playground.enable('hello-events');
    await page.getByTestId('peer-connect').click();
    await expect(await playground.configValue('hello-events', 'events-seen')).toHaveText('1');

    page.once('dialog', (dialog) => void dialog.dismiss());
    await playground.plugin('hello-events').getByTestId('remove').click();
    await expect(playground.plugin('hello-events')).toBeVisible();

    page.once('dialog', (dialog) => void dialog.accept());
    await playground.plugin('hello-events').getByTestId('remove').click();
    await expect(playground.plugin('hello-events')).toHaveCount(0);
    await expect(page.getByTestId('no-plugins')).toBeVisible();

    // Installing it again starts from a clean config.
    await playground.installSample('hello-events');
    await expect(await playground.configValue('hello-events', 'events-seen')).toHaveCount(0);
  });
});
