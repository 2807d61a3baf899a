import { expect, test } from './fixtures.ts';

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
