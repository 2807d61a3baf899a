// Two tabs on two versions share one database: the newer one's upgrade needs the older one to let go.
import { blankAppPage, expect, openVersion3, PlaygroundPage, test } from './fixtures.ts';

test('a tab still open on an older version holds the storage upgrade back: the app says so, and opens once that tab is closed', async ({ context, page }) => {
  const older = await context.newPage();
  await blankAppPage(older, '/other-version');
  // Version 3's stores, left open as a tab of that version leaves them (it never heard of versionchange).
  await openVersion3(older);

  await page.goto('/');
  await expect(page.getByTestId('opening')).toContainText('Waiting for another tab');
  await expect(page.getByTestId('opening')).toContainText('Close or reload that tab');

  await older.close();
  const playground = new PlaygroundPage(page);
  await expect(page.getByTestId('sample-hello-events')).toBeEnabled();
  await expect(page.getByTestId('opening')).toHaveCount(0);
  await playground.installSample('hello-events');
  await expect(playground.plugin('hello-events')).toBeVisible();
});

test('a tab open when a newer version needs the storage lets go of it and asks to be reloaded', async ({ playground, context, page }) => {
  await playground.installSample('hello-events');
  await playground.enable('hello-events');
  await expect(playground.plugin('hello-events')).toHaveAttribute('data-state', 'running');

  const newer = await context.newPage();
  await blankAppPage(newer, '/other-version');
  // A newer version's upgrade: it goes through only if this tab closes its connection.
  const outcome = await newer.evaluate(
    () =>
      new Promise<string>((resolve) => {
        const open = indexedDB.open('plugin-playground', 1000);
        open.onblocked = () => resolve('blocked');
        open.onsuccess = () => {
          const stores = Array.from({ length: open.result.objectStoreNames.length }, (_, i) => open.result.objectStoreNames.item(i));
          open.result.close();
          resolve(`opened with ${stores.length} stores`);
        };
        open.onerror = () => resolve(`failed: ${String(open.error)}`);
      }),
  );
  expect(outcome).toMatch(/^opened with \d+ stores$/);

  const notice = page.getByTestId('superseded');
  await expect(notice).toContainText('A newer version of Plugin Playground was opened in another tab');
  await expect(notice).toContainText('your plugins, config and logs are kept');
  await expect(notice.getByRole('button', { name: 'Reload' })).toBeVisible();
  // The panels are gone with the storage: nothing here can write to it any more.
  await expect(playground.plugin('hello-events')).toHaveCount(0);
  // Its writes that failed as the connection closed are not reported as storage errors.
  await expect(page.getByRole('alert').filter({ hasText: 'could not' })).toHaveCount(0);
});
