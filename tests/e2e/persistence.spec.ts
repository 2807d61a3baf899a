import { blankAppPage, expect, openVersion3, PlaygroundPage, test } from './fixtures.ts';

test('after a reload, plugins, their enabled state, config and the catalog are still there', async ({ playground, page }) => {
  await playground.installSample('hello-events');
  await playground.installSample('genre-tagger');
  await playground.enable('hello-events');
  await playground.addTrack('Rainy Day Blues', 'Delta Sam');
  await expect(playground.track('Rainy Day Blues').getByTestId('track-genre')).toHaveText('—');
  await expect(await playground.configValue('hello-events', 'events-seen')).toHaveText('1');
  await expect(playground.trace('hello-events', 'lifecycle')).toContainText(['installed: hello-events 0.1.0 from hello-events.wasm', 'cache-hit']);

  await page.reload();

  await expect(playground.plugin('hello-events')).toHaveAttribute('data-state', 'running');
  await expect(playground.plugin('genre-tagger')).toHaveAttribute('data-state', 'installed');
  // The enabled plugin started again from the transpile cache, without transpiling.
  await expect(playground.trace('hello-events', 'lifecycle')).toContainText(['loaded from the cache', 'worker started']);
  await expect(playground.trace('hello-events', 'lifecycle').filter({ hasText: 'transpiled in' })).toHaveCount(0);
  await expect(playground.track('Rainy Day Blues')).toBeVisible();
  await expect(await playground.configValue('hello-events', 'events-seen')).toHaveText('1');

  await playground.track('Rainy Day Blues').getByTestId('play').click();
  await expect(await playground.configValue('hello-events', 'events-seen')).toHaveText('2');
  await expect(playground.track('Rainy Day Blues').getByTestId('track-plays')).toHaveText('1');

  // Leaving right after a call keeps its events log entry (the log gathers writes briefly).
  await page.reload();
  const plugin = playground.plugin('hello-events');
  await plugin.getByTestId('events-log-details').locator('summary').click();
  await expect(plugin.getByTestId('events-log-row')).toHaveCount(2);
  await expect(plugin.getByTestId('events-log-row').first()).toContainText('on_track_played');
});

test('a second tab sees config a plugin writes in the first', async ({ playground, context }) => {
  await playground.installSample('hello-events');
  await playground.enable('hello-events');

  const other = new PlaygroundPage(await context.newPage());
  await other.open();
  // The second tab reads (and keeps) the plugin's config before the first one changes it.
  const details = other.plugin('hello-events').locator('details').filter({ hasText: 'Config' });
  await details.locator('summary').click();
  await expect(other.plugin('hello-events').getByTestId('config-empty')).toBeVisible();

  await playground.track('Take Five').getByTestId('play').click();
  await expect(await playground.configValue('hello-events', 'events-seen')).toHaveText('1');
  await expect(other.plugin('hello-events').locator('tr[data-key="events-seen"] [data-testid="config-value"]')).toHaveText('1');
});

test('a track added in a second tab shows in the first, and the first counts it from then on', async ({ playground, context, page }) => {
  await playground.installSample('host-tour');
  await playground.installSample('hello-events');
  await playground.enable('host-tour');
  await playground.enable('hello-events');
  // host-tour asks for the library's size (get-instance-info) on each track added here.
  await playground.addTrack('Blue in Green', 'Miles Davis');
  await expect(playground.trace('host-tour', 'log')).toContainText(['7 tracks, 3 users']);

  const other = new PlaygroundPage(await context.newPage());
  await other.open();
  await other.addTrack('So What', 'Miles Davis');

  await expect(playground.track('So What')).toBeVisible();
  // The size this tab counted before (7) is not kept past the other tab's change.
  await page.getByTestId('scan-complete').click();
  await expect(playground.trace('hello-events', 'event').filter({ hasText: 'on_library_scan_complete' })).toContainText('"tracks_added":8');
});

test('a burst of calls bigger than one write is logged whole, in order, and survives a reload', async ({ playground, page }) => {
  await playground.installSample('hello-events');
  // 350 calls ending at once: one batch, placed in the transaction a chunk at a time.
  await page.evaluate(() => {
    type Host = HTMLElement & { playground: { eventsLog: { add(entry: object): Promise<void> } } };
    const { eventsLog } = (document.querySelector('pp-app') as Host).playground;
    const time = Date.now();
    return Promise.all(
      Array.from({ length: 350 }, (_, i) =>
        eventsLog.add({ pluginId: 'hello-events', event: 'on_peer_connected', payload: { peer_id: `peer-${i}` }, result: 'success', executionMs: i, time }),
      ),
    );
  });
  await page.reload();
  const plugin = playground.plugin('hello-events');
  await plugin.getByTestId('events-log-details').locator('summary').click();
  await expect(plugin.getByTestId('events-log-range')).toContainText('of 350');
  // Newest first: the last call of the burst (349 ms) heads the list, the one before it follows.
  await expect(plugin.getByTestId('events-log-row').nth(0)).toContainText('349.0');
  await expect(plugin.getByTestId('events-log-row').nth(1)).toContainText('348.0');
});

test('an events log written by the previous version of the playground (a row per call) is still there after the upgrade', async ({ page }) => {
  // A profile as schema version 3 left it, made on the app's origin (a blank page there) before the app opens it.
  await blankAppPage(page, '/seed-profile');
  await openVersion3(page);
  await page.evaluate(async () => {
    const db = (window as unknown as { version3: IDBDatabase }).version3;
    const store = db.transaction('eventsLog', 'readwrite').objectStore('eventsLog');
    const time = Date.now();
    for (let i = 0; i < 130; i++) {
      store.add({
        pluginId: i === 5 ? 'someone-else' : 'hello-events',
        event: 'on_peer_connected',
        payload: { peer_id: `peer-${i}` },
        result: 'success',
        executionMs: i,
        time,
      });
    }
    await new Promise((resolve) => (store.transaction.oncomplete = resolve));
    db.close();
  });

  const playground = new PlaygroundPage(page);
  await playground.open();
  await playground.installSample('hello-events');
  const plugin = playground.plugin('hello-events');
  await plugin.getByTestId('events-log-details').locator('summary').click();
  await expect(plugin.getByTestId('events-log-range')).toContainText('of 129');
  await expect(plugin.getByTestId('events-log-row').nth(0)).toContainText('129.0');
  await expect(plugin.getByTestId('events-log-row').nth(1)).toContainText('128.0');
});

test('a plugin transpiled again drops what an earlier version made of the same file from the cache', async ({ playground, page }) => {
  await playground.installSample('hello-events');
  await playground.enable('hello-events');
  await expect(playground.plugin('hello-events')).toHaveAttribute('data-state', 'running');

  // As after an update of the transpiler or the instrumenter: the entry for this version is
  // missing, and one an earlier version made of the same file is there.
  const keysOf = (drop: boolean) =>
    page.evaluate(async (drop) => {
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const open = indexedDB.open('plugin-playground');
        open.onsuccess = () => resolve(open.result);
        open.onerror = () => reject(open.error);
      });
      const store = db.transaction('transpileCache', 'readwrite').objectStore('transpileCache');
      const keys = await new Promise<string[]>((resolve) => {
        const request = store.getAllKeys();
        request.onsuccess = () => resolve(request.result as string[]);
      });
      if (drop) {
        const sha256 = keys[0]!.split('|')[0]!;
        for (const key of keys) store.delete(key);
        store.put({
          key: `${sha256}|jco-transpile@0.0.1|older|fuel:wasmtime-default:v1`,
          sha256,
          transpiled: { files: {}, imports: [], exports: [] },
          wit: '',
          transpileMs: 0,
          createdAt: 0,
        });
        await new Promise((resolve) => (store.transaction.oncomplete = resolve));
      }
      db.close();
      return keys;
    }, drop);
  const current = await keysOf(true);
  expect(current).toHaveLength(2); // the entry and its JavaScript

  await page.reload();
  await expect(playground.plugin('hello-events')).toHaveAttribute('data-state', 'running');
  await expect(playground.trace('hello-events', 'lifecycle')).toContainText(['transpiled in']);
  expect((await keysOf(false)).sort()).toEqual([...current].sort());
});

test('a transpile cache entry stored whole, as earlier versions stored it, still starts without transpiling', async ({ playground, page }) => {
  await playground.installSample('hello-events');
  await playground.enable('hello-events');
  await playground.addTrack('Rainy Day Blues', 'Delta Sam');
  await expect(await playground.configValue('hello-events', 'events-seen')).toHaveText('1');

  // The generated JavaScript is kept in a record of its own and every file as a Blob: put every
  // file back into its entry as bytes.
  const merged = await page.evaluate(async () => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const open = indexedDB.open('plugin-playground');
      open.onsuccess = () => resolve(open.result);
      open.onerror = () => reject(open.error);
    });
    const all = await new Promise<Array<Record<string, unknown>>>((resolve) => {
      const request = db.transaction('transpileCache').objectStore('transpileCache').getAll();
      request.onsuccess = () => resolve(request.result as Array<Record<string, unknown>>);
    });
    type Stored = {
      key: string;
      apart?: string[];
      blobs?: Record<string, Blob>;
      heads?: Record<string, number>;
      transpiled: { files: Record<string, Uint8Array> };
    };
    const whole: Stored[] = [];
    for (const part of all.filter((record) => String(record.key).endsWith('|js'))) {
      const entry = all.find((record) => `${String(record.key)}|js` === part.key) as Stored | undefined;
      if (!entry) continue;
      const bytes = (files: Record<string, Blob | Uint8Array>) =>
        Promise.all(Object.entries(files).map(async ([name, file]) => [name, file instanceof Blob ? new Uint8Array(await file.arrayBuffer()) : file]));
      const modules = await bytes(entry.blobs ?? {});
      const scripts = await bytes(part.files as Record<string, Blob | Uint8Array>);
      const { apart: _, blobs: __, heads: ___, ...rest } = entry;
      whole.push({
        ...rest,
        transpiled: { ...rest.transpiled, files: { ...rest.transpiled.files, ...Object.fromEntries(scripts), ...Object.fromEntries(modules) } },
      });
    }
    const store = db.transaction('transpileCache', 'readwrite').objectStore('transpileCache');
    for (const entry of whole) {
      store.put(entry);
      store.delete(`${entry.key}|js`);
    }
    await new Promise((resolve) => (store.transaction.oncomplete = resolve));
    db.close();
    return whole.length;
  });
  expect(merged).toBeGreaterThan(0);

  await page.reload();
  await expect(playground.plugin('hello-events')).toHaveAttribute('data-state', 'running');
  await expect(playground.trace('hello-events', 'lifecycle')).toContainText(['loaded from the cache', 'worker started']);
  await expect(playground.trace('hello-events', 'lifecycle').filter({ hasText: 'transpiled in' })).toHaveCount(0);
  await playground.track('Rainy Day Blues').getByTestId('play').click();
  await expect(await playground.configValue('hello-events', 'events-seen')).toHaveText('2');
});

test('a start from the cache caps every memory, even when the head length stored with a module is wrong', async ({ playground, page }) => {
  await playground.installSample('play-stats');
  await playground.enable('play-stats');
  await playground.setLimit('memoryMiB', '4');
  const refused = async () => {
    await page.reload();
    await expect(playground.plugin('play-stats')).toHaveAttribute('data-state', 'error');
    await expect(playground.plugin('play-stats').getByTestId('plugin-error')).toContainText(
      'needs at least 9.1 MiB (145 pages) but the cap is 4.0 MiB (64 pages)',
    );
  };
  // Only each module's head is read to cap it; the rest streams into the compiler.
  await refused();

  // A head length that ends before the memory section must not let the memory past the cap.
  const tampered = await page.evaluate(async () => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const open = indexedDB.open('plugin-playground');
      open.onsuccess = () => resolve(open.result);
      open.onerror = () => reject(open.error);
    });
    const store = db.transaction('transpileCache', 'readwrite').objectStore('transpileCache');
    const all = await new Promise<Array<{ heads?: Record<string, number> }>>((resolve) => {
      const request = store.getAll();
      request.onsuccess = () => resolve(request.result as Array<{ heads?: Record<string, number> }>);
    });
    let count = 0;
    for (const entry of all.filter((record) => record.heads)) {
      for (const name of Object.keys(entry.heads!)) entry.heads![name] = 8;
      count += Object.keys(entry.heads!).length;
      store.put(entry);
    }
    await new Promise((resolve) => (store.transaction.oncomplete = resolve));
    db.close();
    return count;
  });
  expect(tampered).toBeGreaterThan(0);
  await refused();
});
