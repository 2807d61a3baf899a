// The plugin author's loop: a bare build runs at once, a watched build reloads in place, what a
// plugin receives is recorded and replayed against the next build, side by side.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { expect, samplePath, test, testPluginManifest, testPluginPath, textFile, type PlaygroundPage } from './fixtures.ts';

const build = (version: 1 | 2) => readFileSync(testPluginPath(`rebuild-v${version}`));
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/** Build 1 of "rebuilt" under the name its plugin.toml gives, installed and enabled. */
async function installRebuilt(playground: PlaygroundPage): Promise<void> {
  await playground.upload({ name: 'rebuilt.wasm', mimeType: 'application/wasm', buffer: build(1) }, textFile('plugin.toml', testPluginManifest('rebuild-v1')));
  await expect(playground.status).toContainText('Installed rebuilt 0.1.0');
  await playground.enable('rebuilt');
}

/**
 * Playwright cannot drive the native file picker: the page's picker hands out a real
 * FileSystemFileHandle from the origin's private file system, which the test writes builds to.
 */
async function stubFilePicker(playground: PlaygroundPage): Promise<void> {
  await playground.page.addInitScript(() => {
    Object.assign(window, {
      showOpenFilePicker: async () => [await (await navigator.storage.getDirectory()).getFileHandle('rebuilt.wasm', { create: true })],
    });
  });
  await playground.open();
}

async function writeBuild(page: Page, bytes: Buffer): Promise<void> {
  await page.evaluate(async (base64) => {
    const file = await (await navigator.storage.getDirectory()).getFileHandle('rebuilt.wasm', { create: true });
    const writable = await file.createWritable();
    await writable.write(Uint8Array.from(atob(base64), (c) => c.charCodeAt(0)));
    await writable.close();
  }, bytes.toString('base64'));
}

/** Drags files onto an element and drops them, as a person does from the desktop. */
async function dropOn(page: Page, testId: string, files: Array<{ name: string; buffer: Buffer }>): Promise<void> {
  const dataTransfer = await page.evaluateHandle(
    (list) => {
      const transfer = new DataTransfer();
      for (const { name, base64 } of list) transfer.items.add(new File([Uint8Array.from(atob(base64), (c) => c.charCodeAt(0))], name));
      return transfer;
    },
    files.map(({ name, buffer }) => ({ name, base64: buffer.toString('base64') })),
  );
  await page.getByTestId(testId).dispatchEvent('dragover', { dataTransfer });
  await page.getByTestId(testId).dispatchEvent('drop', { dataTransfer });
}

test.describe('the plugin-author loop', () => {
  test('a bare SoundTime module runs on a draft that subscribes to the events it has handlers for', async ({ playground }) => {
    await playground.upload(samplePath('soundtime-tagger'));
    const plugin = playground.plugin('soundtime-tagger');
    await expect(plugin.getByTestId('draft-note')).toContainText('it receives track added, track played and is granted nothing else');
    await plugin.getByTestId('enable').click();
    await expect(playground.reviewDialog('soundtime-tagger').getByTestId('review-permissions')).toHaveText('Receive events: track added, track played');
    await playground.approve('soundtime-tagger');
    await expect(plugin).toHaveAttribute('data-state', 'running');
    await playground.addTrack('Moonlight Sonata', 'Beethoven');
    // Nothing else was granted: its host_requests are refused, and it goes on running.
    await expect(playground.trace('soundtime-tagger', 'permission')).toContainText([/DENIED set-track-metadata: permission denied/]);
  });

  test('a watched build reloads in place when it changes: config and approvals kept, old and new SHA-256 traced', async ({ playground, page }) => {
    await stubFilePicker(playground);
    await writeBuild(page, build(1));
    await installRebuilt(playground);
    const plugin = playground.plugin('rebuilt');
    await page.getByTestId('peer-connect').click();
    await expect(playground.trace('rebuilt', 'log')).toHaveText([/v1 saw peer-connected #1/]);

    await plugin.getByTestId('watch-file').click();
    await expect(plugin.getByTestId('watch-status')).toContainText('Watching rebuilt.wasm · rebuilt.wasm is the build already installed (same SHA-256)');

    await writeBuild(page, build(2));
    await expect(plugin.getByTestId('watch-status')).toContainText(`Reloaded the new build (sha256 ${sha256(build(2)).slice(0, 12)}…); it restarted with it.`);
    await expect(playground.trace('rebuilt', 'lifecycle')).toContainText([
      `reloaded: new build from the watched file (rebuilt.wasm): sha256 ${sha256(build(1))} → ${sha256(build(2))}; version 0.1.0 → 0.1.0 (the component says 0.2.0); config kept, approvals kept`,
    ]);
    await expect(plugin).toContainText('0.1.0 (the component says 0.2.0)');
    await expect(plugin).toHaveAttribute('data-review', 'done');
    await expect(plugin).toHaveAttribute('data-state', 'running');

    // The new build counts on from the kept config, with the config access approved for the old one.
    await page.getByTestId('peer-connect').click();
    await expect(playground.trace('rebuilt', 'log')).toHaveText([/v1 saw peer-connected #1/, /v2 saw peer-connected #2 on Plugin Playground/]);

    await plugin.getByTestId('unwatch').click();
    await expect(plugin.getByTestId('watch-status')).toHaveCount(0);
    await expect(plugin.getByTestId('watch-file')).toBeEnabled();
  });

  test('without the File System Access API the watch button is disabled and says why', async ({ playground }) => {
    await playground.page.addInitScript(() => {
      delete (window as { showOpenFilePicker?: unknown }).showOpenFilePicker;
    });
    await playground.open();
    await installRebuilt(playground);
    const watch = playground.plugin('rebuilt').getByTestId('watch-file');
    await expect(watch).toBeDisabled();
    await expect(watch).toHaveText('Watch file… (not in this browser)');
    await expect(watch).toHaveAttribute('title', /no File System Access API \(showOpenFilePicker\).*Drop each new build on this card instead\./);
  });

  test('a recording is a scenario file; replayed against the next build it shows both outcomes side by side, differences marked', async ({
    playground,
    page,
  }) => {
    await installRebuilt(playground);
    const plugin = playground.plugin('rebuilt');
    await plugin.getByTestId('record-start').click();
    await page.getByTestId('peer-connect').click();
    await playground.addTrack('Blue in Green', 'Miles Davis');
    await expect(plugin.getByTestId('record-stop')).toHaveText('■ Stop recording (2 events)');
    await expect(playground.trace('rebuilt', 'event-result')).toHaveCount(2);
    const downloaded = page.waitForEvent('download');
    await plugin.getByTestId('record-stop').click();
    const download = await downloaded;
    expect(download.suggestedFilename()).toBe('rebuilt.scenario.json');
    const scenario = JSON.parse(readFileSync((await download.path())!, 'utf8'));
    expect(scenario.steps.map((step: { event: string }) => step.event)).toEqual(['on_peer_connected', 'on_track_added']);
    expect(scenario.steps[1].payload).toMatchObject({ title: 'Blue in Green', artist: 'Miles Davis' });
    expect(scenario.expect).toContainEqual({ kind: 'log', level: '^info$', message: '^v1 saw peer-connected #1$' });
    await expect(plugin.getByTestId('author-message')).toContainText(`Recorded 2 events and ${scenario.expect.length} outcomes into rebuilt.scenario.json.`);

    // The same build does the same, from the recorded config, and the plugin's own config is put back.
    await plugin.getByTestId('replay-recording').click();
    const view = page.locator('pp-replay-view');
    await expect(view).toHaveAttribute('data-state', 'done');
    const all = scenario.expect.length;
    await expect(page.getByTestId('replay-summary')).toHaveText(
      `2 steps of the last recording replayed against rebuilt 0.1.0: ${all} of ${all} expectations hold.`,
    );
    await expect(view.locator('tr[data-status]:not([data-status="same"])')).toHaveCount(0);
    await expect(await playground.configValue('rebuilt', 'seen')).toHaveText('2');

    // The next build, dropped on the card, does some things differently.
    await dropOn(page, 'plugin-rebuilt', [{ name: 'rebuilt.wasm', buffer: build(2) }]);
    await expect(plugin.getByTestId('card-message')).toContainText('Reloaded the new build');
    await expect(plugin).toHaveAttribute('data-state', 'running');
    await plugin.getByTestId('replay-recording').click();
    await expect(page.getByTestId('replay-summary')).toContainText(/against rebuilt 0\.1\.0: \d+ of \d+ expectations hold, \d+ do(es)? not\./);
    const changed = view.locator('tr[data-status="changed"]');
    await expect(changed.filter({ hasText: '[info] v1 saw peer-connected #1' })).toContainText('[info] v2 saw peer-connected #1 on Plugin Playground');
    await expect(changed.filter({ hasText: '[info] v1 saw track-added #2' })).toContainText('[info] v2 saw track-added #2 on Plugin Playground');
    await expect(view.locator('tr[data-status="extra"]').filter({ hasText: 'get-instance-info() → ok' })).toHaveCount(2);
    await expect(view.locator('tr[data-status="same"]').filter({ hasText: 'on_track_added → success' })).toHaveCount(1);
    await expect(page.getByTestId('replay-checks').locator('li[data-result="failed"]').first()).toContainText('v1 saw');
  });

  test('a newer build dropped on its card with a manifest asking for more waits for a review', async ({ playground, page }) => {
    await installRebuilt(playground);
    const plugin = playground.plugin('rebuilt');
    const greedy = testPluginManifest('rebuild-v2').replace('config_access = true', 'config_access = true\nread_users = true');
    await dropOn(page, 'plugin-rebuilt', [
      { name: 'rebuilt.wasm', buffer: build(2) },
      { name: 'plugin.toml', buffer: Buffer.from(greedy) },
    ]);
    await expect(plugin.getByTestId('card-message')).toContainText('rebuilt 0.2.0 asks for more than you approved');
    await expect(plugin).toHaveAttribute('data-state', 'installed');
    await expect(plugin).toHaveAttribute('data-review', 'needed');
    await expect(playground.trace('rebuilt', 'lifecycle')).toContainText([
      /reloaded: new build dropped on its card .*version 0\.1\.0 → 0\.2\.0; config kept, it asks for more/,
    ]);
    await plugin.getByTestId('enable').click();
    await expect(playground.reviewDialog('rebuilt').getByTestId('review-added')).toContainText('Read user accounts (no passwords)');
    await playground.approve('rebuilt');
    await expect(plugin).toHaveAttribute('data-state', 'running');
  });
});
