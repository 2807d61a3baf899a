import { readFileSync } from 'node:fs';
import { expect, fileAt, test, testPluginManifest, testPluginPath, textFile, type PlaygroundPage } from './fixtures.ts';

/**
 * Fuel ends a spinning guest long before the watchdog would (tests/e2e/fuel.spec.ts): to watch
 * the watchdog, give calls more fuel than they can burn and a one-second time limit.
 */
async function watchdogOnly(playground: PlaygroundPage): Promise<void> {
  await playground.setLimit('componentFuel', '1000000000000');
  await playground.setLimit('timeLimitMs', '1000');
}

test.describe('limits and the watchdog', () => {
  test('a spinning plugin is killed, the next event gets a fresh worker, and another plugin keeps working meanwhile', async ({ playground, page }) => {
    await watchdogOnly(playground);
    await playground.installSample('spinner');
    await playground.installSample('hello-events');
    await playground.enable('spinner');
    await playground.enable('hello-events');
    const spinner = playground.plugin('spinner');

    await playground.track('Take Five').getByTestId('play').click();
    await expect(playground.trace('spinner', 'log')).toContainText(['about to spin forever']);
    // While it spins, the page answers and the healthy plugin handles events.
    await page.getByTestId('peer-connect').click();
    await expect(playground.trace('hello-events', 'event-result').filter({ hasText: '✓ on_peer_connected' })).toHaveCount(1);

    await expect(playground.trace('spinner', 'lifecycle').filter({ hasText: 'killed: the call ran past its time limit' })).toHaveCount(1);
    await expect(playground.trace('spinner', 'event-result')).toContainText([
      // What the watchdog charged: the budget at least, however long the page took to kill it.
      /✗ on_track_played timeout after [\d.]+ ms \(guest time \d{4,}\.\d ms\): killed: the call ran past its time limit of 1000 ms/,
    ]);

    await page.getByTestId('peer-connect').click();
    // The peer event queued behind the spin was served by a fresh worker, from the modules the
    // page compiled before: nothing read from the transpile cache or compiled again.
    await expect(playground.trace('spinner', 'log')).toContainText(['handled peer-connected normally', 'handled peer-connected normally']);
    await expect(spinner).toHaveAttribute('data-state', 'running');
    await expect(playground.trace('spinner', 'lifecycle').filter({ hasText: 'compiled core modules reused from memory' })).toHaveCount(2);

    await playground.plugin('spinner').getByTestId('events-log-details').locator('summary').click();
    const rows = spinner.getByTestId('events-log-row');
    await expect(rows).toHaveCount(3);
    await expect(rows.nth(2)).toHaveAttribute('data-result', 'timeout');
    await expect(rows.nth(1)).toHaveAttribute('data-result', 'success');

    const download = page.waitForEvent('download');
    await spinner.getByTestId('events-log-export').click();
    const file = await download;
    expect(file.suggestedFilename()).toBe('spinner-events-log.json');
    const exported = JSON.parse(readFileSync(await file.path(), 'utf8')) as Array<{ event: string; result: string; error_message: string | null }>;
    expect(exported.map((row) => [row.event, row.result])).toEqual([
      ['on_track_played', 'timeout'],
      ['on_peer_connected', 'success'],
      ['on_peer_connected', 'success'],
    ]);
    expect(exported[0]!.error_message).toContain('ran past its time limit');

    await page.reload();
    await playground.plugin('spinner').getByTestId('events-log-details').locator('summary').click();
    await expect(playground.plugin('spinner').getByTestId('events-log-row')).toHaveCount(3);
  });

  test('a plugin killed three times in a row is disabled with a notice, and can be enabled again', async ({ playground, page }) => {
    await watchdogOnly(playground);
    await playground.installSample('spinner');
    await playground.enable('spinner');
    const spinner = playground.plugin('spinner');
    for (let kill = 1; kill <= 3; kill++) {
      await playground.track('Take Five').getByTestId('play').click();
      await expect(playground.trace('spinner', 'event-result').filter({ hasText: 'timeout' })).toHaveCount(kill, { timeout: 30_000 });
      if (kill === 1) await expect(spinner.getByTestId('plugin-state')).toHaveText('killed: time limit exceeded');
    }
    await expect(spinner).toHaveAttribute('data-state', 'installed');
    await expect(spinner.getByTestId('plugin-notice')).toContainText('Disabled after 3 calls in a row ran past their budget');
    await spinner.getByTestId('enable').click();
    await expect(spinner).toHaveAttribute('data-state', 'running');
    await expect(spinner.getByTestId('plugin-notice')).toHaveCount(0);
    await page.getByTestId('peer-connect').click();
    await expect(playground.trace('spinner', 'log')).toContainText(['handled peer-connected normally']);
  });

  test('a crashing plugin is logged with its message, a fresh instance serves the next event, and its config survives', async ({ playground, page }) => {
    await playground.installSample('crasher');
    await playground.enable('crasher');
    const crasher = playground.plugin('crasher');
    await page.getByTestId('peer-connect').click();
    await expect(await playground.configValue('crasher', 'events')).toHaveText('1');

    await playground.track('Take Five').getByTestId('play').click();
    await expect(playground.trace('crasher', 'event-result')).toContainText(['✓ on_peer_connected', /✗ on_track_played failed after/]);
    await page.getByTestId('peer-connect').click();
    await expect(playground.trace('crasher', 'log')).toContainText(['handled peer-connected (3 events so far)']);
    await expect(crasher).toHaveAttribute('data-state', 'running');

    await playground.track('Take Five').getByTestId('delete-track').click();
    await expect(playground.trace('crasher', 'event-result')).toContainText([/✗ on_track_deleted failed after .*refusing to handle trk-2/]);
  });

  test('a real wasm trap discards the instance; a fresh one serves the next event', async ({ playground, page }) => {
    await playground.upload(fileAt(testPluginPath('trapper')), textFile('plugin.toml', testPluginManifest('trapper')));
    await expect(playground.status).toContainText('Installed trapper');
    await playground.enable('trapper');
    await page.getByTestId('peer-connect').click();
    await expect(playground.trace('trapper', 'log')).toContainText(['survived 1 events']);
    await page.getByTestId('peer-connect').click();
    await expect(playground.trace('trapper', 'log')).toContainText(['survived 1 events', 'survived 2 events']);

    await playground.track('Take Five').getByTestId('play').click();
    await expect(playground.trace('trapper', 'event-result')).toContainText([/✓/, /✓/, /✗ on_track_played failed after .*trapped: .*unreachable/]);
    // A trap says how much of the call was the guest's own time, as its worker counted until it trapped.
    await expect(playground.trace('trapper', 'event-result').filter({ hasText: 'trapped' })).toContainText(
      /failed after [\d.]+ ms \(guest time [\d.]+ ms\): trapped: /,
    );
    await expect(playground.trace('trapper', 'lifecycle')).toContainText([/trapped: .*unreachable.*a fresh worker serves the next event/]);
    // The new instance starts counting again: the trapped one was not entered again.
    await page.getByTestId('peer-connect').click();
    await expect(playground.trace('trapper', 'log')).toContainText(['survived 1 events', 'survived 2 events', 'survived 1 events']);
    await expect(playground.plugin('trapper')).toHaveAttribute('data-state', 'running');
  });

  test('emit-event ping-pong between two plugins is stopped by the depth limit with a notice', async ({ playground }) => {
    await playground.installSample('ping');
    await playground.installSample('pong');
    await playground.enable('ping');
    await playground.enable('pong');
    await playground.addTrack('Serve', 'Anyone');
    await expect(playground.trace(undefined, 'error')).toContainText([/emit-event refused: "(ping|pong)" would be nested 5 deep/]);
    await expect(playground.trace(undefined, 'log').filter({ hasText: 'was refused' })).toHaveCount(1);
    const events = playground.trace(undefined, 'event');
    // track added to ping, then 4 emitted hops.
    await expect(events).toHaveCount(5);
  });

  test('a plugin allocating without end fails inside its own call and the app keeps working', async ({ playground, page }) => {
    await playground.installSample('memory-hog');
    await playground.installSample('hello-events');
    await playground.enable('memory-hog');
    await playground.enable('hello-events');
    await playground.track('Take Five').getByTestId('play').click();
    await expect(playground.trace('memory-hog', 'event-result')).toContainText([/✗ on_track_played (failed|timeout) after/], { timeout: 60_000 });
    await page.getByTestId('peer-connect').click();
    await expect(playground.trace('memory-hog', 'log')).toContainText(['handled peer-connected normally']);
    await expect(playground.trace('hello-events', 'event-result').filter({ hasText: '✓' })).toHaveCount(2);
  });

  test('a memory cap below what a module needs refuses to start it, giving both numbers', async ({ playground }) => {
    await playground.installSample('play-stats');
    await playground.setLimit('memoryMiB', '4');
    await playground.plugin('play-stats').getByTestId('enable').click();
    await playground.approve('play-stats');
    await expect(playground.plugin('play-stats')).toHaveAttribute('data-state', 'error');
    await expect(playground.plugin('play-stats').getByTestId('plugin-error')).toContainText(
      'needs at least 9.1 MiB (145 pages) but the cap is 4.0 MiB (64 pages)',
    );
  });

  test('a log flood is cut at the per-call limit with a marker, and the page stays usable', async ({ playground, page }) => {
    test.slow();
    // 100,000 host calls take more fuel and guest time than the defaults give: give it room.
    await playground.setLimit('componentFuel', '1000000000000');
    await playground.setLimit('timeLimitMs', '60000');
    await playground.installSample('log-flood');
    await playground.installSample('hello-events');
    await playground.enable('log-flood');
    await playground.enable('hello-events');
    await playground.addTrack('Deluge', 'Rain');
    await expect(playground.trace('log-flood', 'event-result')).toContainText(['✓ on_track_added'], { timeout: 120_000 });
    await page.getByTestId('trace-plugin').selectOption('log-flood');
    await page.getByTestId('trace-kind').selectOption('log');
    await expect(playground.trace('log-flood', 'log').filter({ hasText: 'log limit reached' })).toHaveCount(1);
    await expect(playground.trace('log-flood', 'log').filter({ hasText: '99000 log lines were dropped' })).toHaveCount(1);
    await page.getByTestId('trace-plugin').selectOption('');
    await page.getByTestId('trace-kind').selectOption('');
    await page.getByTestId('peer-connect').click();
    await expect(playground.trace('hello-events', 'event-result').filter({ hasText: 'on_peer_connected' })).toHaveCount(1);
  });

  test('the limits are settings that persist, and a size limit below the file refuses it', async ({ playground, page }) => {
    await page.getByTestId('tab-settings').click();
    await page.getByTestId('setting-maxWasmMiB').fill('1');
    await page.getByTestId('settings-save').click();
    await expect(page.getByTestId('settings-message')).toContainText('Saved');
    await page.reload();
    await page.getByTestId('tab-settings').click();
    await expect(page.getByTestId('setting-maxWasmMiB')).toHaveValue('1');
    // SoundTime's fuel for its modules; components and the watchdog have their own.
    await expect(page.getByTestId('setting-fuel')).toHaveValue('1000000');
    await expect(page.getByTestId('setting-componentFuel')).toHaveValue('100000000');
    await expect(page.getByTestId('setting-timeLimitMs')).toHaveValue('10000');
    await page.getByTestId('sample-hello-events').click();
    await expect(playground.uploadError).toContainText('"hello-events.wasm" is 1.6 MiB, over the 1.0 MiB limit');

    await page.getByTestId('setting-memoryMiB').fill('0');
    await page.getByTestId('settings-save').click();
    await expect(page.getByTestId('settings-message')).toHaveText('memoryMiB must be a whole number from 1 to 4096');
  });
});

test('a plugin whose start never returns is cut off at install, and the page keeps working', async ({ playground, page }) => {
  // Its start function runs counted, so fuel stops it first...
  await playground.upload(fileAt(testPluginPath('start-spinner')));
  await expect(playground.uploadError).toContainText('reading its metadata failed: out of fuel: the call used its budget of 100,000,000 fuel', {
    timeout: 40_000,
  });
  // ...and with fuel to spare, the start's time limit does.
  await playground.setLimit('componentFuel', '1000000000000');
  await playground.upload(fileAt(testPluginPath('start-spinner')));
  await expect(playground.uploadError).toContainText(/did not (return|finish starting) within 10 s/, { timeout: 40_000 });
  await playground.installSample('hello-events');
  await playground.enable('hello-events');
  await page.getByTestId('peer-connect').click();
  await expect(playground.trace('hello-events', 'event-result')).toContainText([/✓ on_peer_connected handled/]);
});
