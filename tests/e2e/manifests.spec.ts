import { expect, fileAt, sampleManifest, samplePath, test, testPluginManifest, testPluginPath, textFile } from './fixtures.ts';

test.describe('manifests, permissions and lifecycle', () => {
  test('a component uploaded with its plugin.toml is reviewed in plain words before anything runs', async ({ playground, page }) => {
    await playground.upload(fileAt(samplePath('play-stats')), textFile('plugin.toml', sampleManifest('play-stats')));
    await expect(playground.status).toContainText('Installed play-stats 0.1.0');
    const plugin = playground.plugin('play-stats');
    await expect(plugin.getByTestId('draft-badge')).toHaveCount(0);
    await expect(plugin).toHaveAttribute('data-review', 'needed');

    await plugin.getByTestId('enable').click();
    await expect(playground.reviewDialog('play-stats').getByTestId('review-permissions').locator('li')).toHaveText([
      'Receive events: track played, library scan complete',
      'Read and write its own settings',
      'Read user accounts (no passwords)',
    ]);
    // Cancelling starts nothing.
    await playground.reviewDialog('play-stats').getByTestId('review-cancel').click();
    await expect(plugin).toHaveAttribute('data-state', 'installed');
    // (A spare worker may be waiting, started ahead for whichever plugin starts next: it runs nothing.)
    const started = (await playground.traceRecords()).filter((r) => r.kind === 'lifecycle' && r.pluginId === 'play-stats' && r.step === 'started');
    expect(started).toEqual([]);

    await plugin.getByTestId('enable').click();
    await playground.approve('play-stats');
    await expect(plugin).toHaveAttribute('data-state', 'running');
    await expect(playground.trace('play-stats', 'lifecycle')).toContainText(['approved: Receive events: track played']);

    // Events go only to subscribers: play-stats ignores a peer connecting.
    await page.getByTestId('peer-connect').click();
    await playground.track('Take Five').getByTestId('play').click();
    await expect(playground.trace('play-stats', 'event')).toHaveText([/on_track_played/]);
  });

  test('without a manifest a draft is made; Monaco marks a bad value, clears it when fixed, and saving asks for a new review', async ({ playground, page }) => {
    await playground.upload(samplePath('hello-events'));
    await expect(playground.status).toContainText('review the drafted manifest');
    const plugin = playground.plugin('hello-events');
    await expect(plugin.getByTestId('draft-badge')).toBeVisible();

    await plugin.getByTestId('enable').click();
    await expect(plugin.getByTestId('draft-note')).toContainText('it receives every event and is granted nothing else');
    await expect(playground.reviewDialog('hello-events').getByTestId('review-permissions')).toHaveText(/Receive every event \(track added, .*plugin event\)/);
    await playground.approve('hello-events');
    await expect(plugin).toHaveAttribute('data-state', 'running');
    await page.getByTestId('peer-connect').click();

    await playground.openTab('hello-events', 'manifest');
    const editor = page.getByTestId('manifest-editor');
    await expect(editor.locator('.monaco-editor')).toBeVisible();
    const draft = await playground.editorValue('manifest-editor');
    expect(draft).toContain('name = "hello-events"');
    // A bare component's draft subscribes to every event (events grant nothing) and asks for nothing else.
    const eventsLine = /^events = \[.*\]$/m;
    expect(draft).toMatch(/^events = \[ "on_track_added", .*"on_plugin_event" \]$/m);

    await playground.replaceManifest(draft.replace(eventsLine, 'events = ["on_track_playd"]'));
    await expect(editor.locator('.squiggly-error')).toHaveCount(1);
    await expect(page.getByTestId('manifest-issues')).toContainText('on_track_playd');
    await expect(page.getByTestId('manifest-save')).toBeDisabled();

    await playground.replaceManifest(draft.replace(eventsLine, 'events = ["on_track_played"]').replace('read_users = false', 'read_users = true'));
    await expect(editor.locator('.squiggly-error')).toHaveCount(0);
    await expect(page.getByTestId('manifest-status')).toHaveText('Unsaved changes');
    await page.getByTestId('manifest-save').click();
    await expect(page.getByTestId('manifest-status')).toContainText('asks for more than you approved');
    await expect(plugin).toHaveAttribute('data-state', 'installed');
    await expect(plugin.getByTestId('draft-badge')).toHaveCount(0);

    await plugin.getByTestId('enable').click();
    await expect(playground.reviewDialog('hello-events').getByTestId('review-added')).toContainText('Read user accounts (no passwords)');
    await playground.approve('hello-events');
    await expect(plugin).toHaveAttribute('data-state', 'running');

    // config_access was never asked for: the call is denied, traced, and the plugin keeps running.
    await playground.showTrace();
    await playground.track('Take Five').getByTestId('play').click();
    await expect(playground.trace('hello-events', 'permission')).toContainText([
      'DENIED get-config: permission denied: get-config needs config_access = true in [permissions]',
    ]);
    await expect(playground.trace('hello-events', 'host-call')).toContainText([
      'get-config("events-seen") → err "permission denied: get-config needs config_access',
    ]);
    // The draft already delivered the peer connecting: this play is the second call.
    await expect(playground.trace('hello-events', 'event-result')).toHaveCount(2);
    await expect(plugin).toHaveAttribute('data-state', 'running');
    await playground.track('Take Five').getByTestId('play').click();
    await expect(playground.trace('hello-events', 'event-result')).toHaveCount(3);
  });

  test("config is scoped: one plugin cannot read or delete another plugin's keys", async ({ playground, page }) => {
    await playground.installSample('hello-events');
    await playground.enable('hello-events');
    await playground.upload(fileAt(testPluginPath('config-snoop')), textFile('plugin.toml', testPluginManifest('config-snoop')));
    await expect(playground.status).toContainText('Installed config-snoop');
    await playground.enable('config-snoop');

    await page.getByTestId('peer-connect').click();
    await expect(playground.trace('config-snoop', 'log')).toHaveText([/events-seen as I see it: \(none\)/, /after my delete and set: snooped/]);
    await expect(await playground.configValue('hello-events', 'events-seen')).toHaveText('1');
    await expect(await playground.configValue('config-snoop', 'events-seen')).toHaveText('snooped');
  });

  test('an update keeps config and restarts; one asking for more is held for review; another name is refused', async ({ playground, page }) => {
    await playground.installSample('hello-events');
    await playground.enable('hello-events');
    await page.getByTestId('peer-connect').click();
    await expect(await playground.configValue('hello-events', 'events-seen')).toHaveText('1');
    const plugin = playground.plugin('hello-events');
    const update = plugin.getByTestId('update-input');

    const v2 = sampleManifest('hello-events').replace('version = "0.1.0"', 'version = "0.2.0"');
    await update.setInputFiles([fileAt(samplePath('hello-events')), textFile('plugin.toml', v2)]);
    await expect(plugin.getByTestId('card-message')).toHaveText('Updated to 0.2.0.');
    await expect(plugin).toContainText('0.2.0 (the component says 0.1.0)');
    await expect(plugin).toHaveAttribute('data-state', 'running');
    await page.getByTestId('peer-connect').click();
    await expect(await playground.configValue('hello-events', 'events-seen')).toHaveText('2');

    const greedy = v2.replace('version = "0.2.0"', 'version = "0.3.0"').replace('config_access = true', 'config_access = true\nhttp_hosts = ["*"]');
    await update.setInputFiles([fileAt(samplePath('hello-events')), textFile('plugin.toml', greedy)]);
    await expect(plugin.getByTestId('card-message')).toContainText('hello-events 0.3.0 asks for more than you approved');
    await expect(plugin).toHaveAttribute('data-state', 'installed');
    await plugin.getByTestId('enable').click();
    await expect(playground.reviewDialog('hello-events').getByTestId('review-any-host')).toBeVisible();
    await expect(playground.reviewDialog('hello-events').getByTestId('review-added')).toContainText('ANY host');
    await playground.approve('hello-events');
    await expect(plugin).toHaveAttribute('data-state', 'running');

    await update.setInputFiles([fileAt(samplePath('play-stats')), textFile('plugin.toml', sampleManifest('play-stats'))]);
    await expect(plugin.getByTestId('card-message')).toContainText('This component is "play-stats", not "hello-events"');
    await expect(playground.plugin('play-stats')).toHaveCount(0);
    await expect(await playground.configValue('hello-events', 'events-seen')).toHaveText('2');
  });

  test('uninstalling removes the component, its config, its cached transpile output and its logs', async ({ playground, page }) => {
    await playground.installSample('hello-events');
    await playground.enable('hello-events');
    await page.getByTestId('peer-connect').click();
    await expect(await playground.configValue('hello-events', 'events-seen')).toHaveText('1');
    await expect(playground.trace('hello-events', 'log')).toHaveCount(1);

    page.once('dialog', (dialog) => void dialog.accept());
    await playground.plugin('hello-events').getByTestId('remove').click();
    await expect(playground.plugin('hello-events')).toHaveCount(0);
    await expect(playground.trace('hello-events', 'log')).toHaveCount(0);

    await playground.installSample('hello-events');
    // Transpiled again: the cache entry went with it.
    await expect(playground.trace('hello-events', 'lifecycle')).toContainText([/installed: .*transpiled in \d+ ms/]);
    await expect(await playground.configValue('hello-events', 'events-seen')).toHaveCount(0);
  });

  test('the load order is visible, can be changed, and dispatch follows it', async ({ playground, page }) => {
    await playground.installSample('genre-tagger');
    await playground.installSample('hello-events');
    await playground.enable('genre-tagger');
    await playground.enable('hello-events');
    const order = () =>
      page
        .getByTestId('plugin-list')
        .locator('pp-plugin-card')
        .evaluateAll((cards) => cards.map((c) => c.dataset.testid));
    expect(await order()).toEqual(['plugin-genre-tagger', 'plugin-hello-events']);

    await playground.addTrack('First Song', 'Anyone');
    const delivered = page.locator('[data-testid="trace"] li[data-kind="event"]');
    await expect(delivered).toHaveCount(2);
    expect(await delivered.evaluateAll((rows) => rows.map((r) => r.dataset.plugin))).toEqual(['genre-tagger', 'hello-events']);

    await playground.plugin('hello-events').getByTestId('move-up').click();
    await expect.poll(order).toEqual(['plugin-hello-events', 'plugin-genre-tagger']);
    await page.getByTestId('trace-clear').click();
    await playground.addTrack('Second Song', 'Anyone');
    await expect(delivered).toHaveCount(2);
    expect(await delivered.evaluateAll((rows) => rows.map((r) => r.dataset.plugin))).toEqual(['hello-events', 'genre-tagger']);

    await page.reload();
    await expect.poll(order).toEqual(['plugin-hello-events', 'plugin-genre-tagger']);
  });

  test('a bad plugin.toml is refused with every problem listed and nothing installed', async ({ playground, page }) => {
    const bad = sampleManifest('hello-events')
      .replace('name = "hello-events"', 'name = "Hello Events"')
      .replace('version = "0.1.0"', 'version = "1.0"')
      .replace('license = "MIT"', 'license = "MIT"\nmin_playground_version = "9.0.0"');
    await playground.upload(fileAt(samplePath('hello-events')), textFile('plugin.toml', bad));
    await expect(playground.uploadError).toContainText('plugin.toml is not valid (3 problems)');
    const problems = page.getByTestId('manifest-problems').locator('li');
    await expect(problems).toHaveCount(3);
    await expect(problems.nth(0)).toContainText('plugin.name');
    await expect(problems.nth(0)).toContainText('"Hello Events"');
    await expect(problems.nth(1)).toContainText('plugin.version');
    await expect(problems.nth(2)).toContainText('9.0.0');
    await expect(page.getByTestId('no-plugins')).toBeVisible();
  });

  test('a manifest naming another file, or a UI page that was not dropped, is refused', async ({ playground }) => {
    const manifest = sampleManifest('hello-events');
    await playground.upload(fileAt(samplePath('genre-tagger')), textFile('plugin.toml', manifest));
    await expect(playground.uploadError).toContainText('says [build] wasm = "hello-events.wasm", but the component dropped is "genre-tagger.wasm"');

    const withUi = `${manifest}\n[ui]\nenabled = true\nslot = "track-detail-sidebar"\nentry = "ui/panel.html"\n`;
    await playground.upload(fileAt(samplePath('hello-events')), textFile('plugin.toml', withUi));
    await expect(playground.uploadError).toContainText('has [ui] entry = "ui/panel.html", but no panel.html was dropped with it');

    await playground.upload(fileAt(samplePath('hello-events')), textFile('plugin.toml', withUi), textFile('panel.html', '<p>hi</p>'));
    await expect(playground.status).toContainText('Installed hello-events');
  });
});

test.describe('an installed name cannot be taken', () => {
  test('a different component under an installed name asks first; replacing needs review and keeps config only when asked', async ({ playground, page }) => {
    await playground.installSample('hello-events');
    await playground.enable('hello-events');
    await page.getByTestId('peer-connect').click();
    await expect(await playground.configValue('hello-events', 'events-seen')).toHaveText('1');

    // Another component (genre-tagger's bytes) calling itself hello-events, dropped without going through Update….
    const impostor = sampleManifest('hello-events').replace('hello-events.wasm', 'genre-tagger.wasm');
    await playground.upload(fileAt(samplePath('genre-tagger')), textFile('plugin.toml', impostor));
    const question = page.getByTestId('replace-question');
    await expect(question).toContainText('A plugin named "hello-events" is already installed');
    await question.getByTestId('replace-cancel').click();
    await expect(question).toBeHidden();
    await expect(playground.plugin('hello-events')).toHaveAttribute('data-state', 'running');
    await expect(playground.plugin('hello-events')).not.toHaveAttribute('data-review', 'needed');

    await playground.upload(fileAt(samplePath('genre-tagger')), textFile('plugin.toml', impostor));
    await question.getByTestId('replace-clear-config').click();
    await expect(playground.status).toContainText('Updated hello-events');
    await expect(playground.plugin('hello-events')).toHaveAttribute('data-review', 'needed');
    await expect(playground.plugin('hello-events')).not.toHaveAttribute('data-state', 'running');
    await expect(await playground.configValue('hello-events', 'events-seen')).toHaveCount(0);
  });
});
