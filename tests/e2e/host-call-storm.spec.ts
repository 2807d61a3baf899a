import { expect, fileAt, test, testPluginManifest, testPluginPath, textFile, type PlaygroundPage } from './fixtures.ts';

const CALLS = 3000;

async function installStorm(playground: PlaygroundPage): Promise<void> {
  await playground.upload(fileAt(testPluginPath('host-call-storm')), textFile('plugin.toml', testPluginManifest('host-call-storm')));
  // Transpiling a QuickJS component takes a while on a busy machine.
  await expect(playground.status).toContainText('Installed host-call-storm', { timeout: 60_000 });
  await playground.enable('host-call-storm');
}

/** The trace's JSON lines of one plugin, as the editor holds them. */
async function jsonLinesOf(playground: PlaygroundPage, pluginId: string): Promise<Array<Record<string, unknown>>> {
  const text = await playground.editorValue('trace-json');
  return text
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, unknown>)
    .filter((line) => line.plugin === pluginId);
}

// Regression: the trace drew every record as it was added, on the thread that answers host
// calls, so watching a busy plugin slowed it until its budget killed it.
test.describe('a plugin making thousands of host calls in one event, watched in the trace', () => {
  test('finishes within the default budget with the trace shown as JSON lines', async ({ playground, page }) => {
    await page.getByTestId('trace-view-json').click();
    await expect(page.getByTestId('trace-json').locator('.monaco-editor')).toBeVisible();
    await installStorm(playground);
    await playground.addTrack('Thunder Road', 'Bruce Springsteen');

    await expect
      .poll(async () => (await jsonLinesOf(playground, 'host-call-storm')).find((line) => line.kind === 'event-result'), { timeout: 60_000 })
      .toMatchObject({ event: 'on_track_added', result: 'success' });
    const lines = await jsonLinesOf(playground, 'host-call-storm');
    expect(lines).toContainEqual(expect.objectContaining({ kind: 'log', message: `storm of ${CALLS} get-config calls done (0 found) for Thunder Road` }));
    await expect(playground.plugin('host-call-storm')).toHaveAttribute('data-state', 'running');

    // Every call is in the trace: filtered to them, the count says so and the view holds calls only.
    await page.getByTestId('trace-plugin').selectOption('host-call-storm');
    await page.getByTestId('trace-kind').selectOption('host-call');
    await expect(page.getByTestId('trace-count')).toHaveText(`${CALLS.toLocaleString('en')} records`);
    const calls = await jsonLinesOf(playground, 'host-call-storm');
    expect(calls.length).toBeGreaterThan(0);
    expect(calls.every((line) => line.kind === 'host-call' && line.fn === 'get-config')).toBe(true);
  });

  test('finishes within the default budget with the trace shown as the summary, which lists every record', async ({ playground, page }) => {
    await installStorm(playground);
    await playground.addTrack('Thunder Road', 'Bruce Springsteen');

    await expect(playground.trace('host-call-storm', 'event-result')).toContainText(['✓ on_track_added handled'], { timeout: 60_000 });
    await expect(playground.trace('host-call-storm', 'log')).toContainText([`[info] storm of ${CALLS} get-config calls done (0 found) for Thunder Road`]);
    await expect(playground.plugin('host-call-storm')).toHaveAttribute('data-state', 'running');

    // Filtered to the calls, the list counts all of them and scrolls back to the very first.
    await page.getByTestId('trace-plugin').selectOption('host-call-storm');
    await page.getByTestId('trace-kind').selectOption('host-call');
    await expect(page.getByTestId('trace-count')).toHaveText(`${CALLS.toLocaleString('en')} records`);
    await page.getByTestId('trace').evaluate((list) => (list.scrollTop = 0));
    await expect(playground.trace('host-call-storm', 'host-call').first()).toContainText('get-config("calls")');
    // It draws what is in view (and the last few hundred), not each of the thousands of rows.
    expect(await playground.trace().count()).toBeLessThan(CALLS / 2);
  });
});
