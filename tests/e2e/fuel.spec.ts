import { readFileSync } from 'node:fs';
import { expect, fileAt, test, testPluginManifest, testPluginPath, textFile, type PlaygroundPage } from './fixtures.ts';

/** The fuel each shown row of `kind` names ("151,234 fuel"), in order. */
async function fuelShown(playground: PlaygroundPage, id: string, kind: string): Promise<number[]> {
  const rows = await playground.trace(id, kind).allTextContents();
  return rows.map((row) => Number(/([\d,]+) fuel/.exec(row)?.[1]?.replaceAll(',', '') ?? Number.NaN));
}

async function download(playground: PlaygroundPage, click: () => Promise<void>): Promise<string> {
  const file = playground.page.waitForEvent('download');
  await click();
  return readFileSync(await (await file).path(), 'utf8');
}

test.describe('fuel', () => {
  test('the same event twice costs the same fuel, on its trace record and in the events log', async ({ playground, page }) => {
    // A hand-written module: no engine, no garbage collector, nothing that varies between calls.
    await playground.upload(fileAt(testPluginPath('trapper')), textFile('plugin.toml', testPluginManifest('trapper')));
    await expect(playground.status).toContainText('Installed trapper');
    await playground.enable('trapper');
    await page.getByTestId('peer-connect').click();
    await expect(playground.trace('trapper', 'event-result')).toHaveCount(1);
    await page.getByTestId('peer-connect').click();
    await expect(playground.trace('trapper', 'event-result')).toContainText([
      /✓ on_peer_connected handled in [\d.]+ ms \(guest time [\d.]+ ms\), [\d,]+ fuel/,
      /✓ on_peer_connected .* fuel/,
    ]);
    const [first, second] = await fuelShown(playground, 'trapper', 'event-result');
    expect(first).toBeGreaterThan(0);
    expect(second).toBe(first);

    const trace = await download(playground, () => page.getByTestId('trace-export').click());
    const results = trace
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as { kind: string; plugin: string; fuel?: unknown })
      .filter((record) => record.kind === 'event-result' && record.plugin === 'trapper');
    expect(results.map((record) => record.fuel)).toEqual([first, first]);

    const trapper = playground.plugin('trapper');
    await trapper.getByTestId('events-log-details').locator('summary').click();
    await expect(trapper.getByTestId('events-log-fuel')).toHaveText([first!.toLocaleString('en'), first!.toLocaleString('en')]);
    const log = await download(playground, () => trapper.getByTestId('events-log-export').click());
    expect((JSON.parse(log) as Array<{ fuel_used: unknown }>).map((row) => row.fuel_used)).toEqual([first, first]);
  });

  test('a spinning component runs out of fuel: the call fails saying its budget, a fresh instance serves the next event, three in a row disable it', async ({
    playground,
    page,
  }) => {
    await playground.installSample('spinner');
    await playground.enable('spinner');
    await playground.track('Take Five').getByTestId('play').click();
    await expect(playground.trace('spinner', 'event-result')).toContainText([
      /✗ on_track_played failed after [\d.]+ ms \(guest time [\d.]+ ms\): out of fuel: the call used its budget of 100,000,000 fuel/,
    ]);
    await expect(playground.trace('spinner', 'lifecycle')).toContainText([/trapped: out of fuel: .*a fresh worker serves the next event/]);
    await page.getByTestId('peer-connect').click();
    await expect(playground.trace('spinner', 'log')).toContainText(['about to spin forever', 'handled peer-connected normally']);
    await expect(playground.trace('spinner', 'event-result')).toContainText([
      /out of fuel/,
      /✓ on_peer_connected handled in [\d.]+ ms \(guest time [\d.]+ ms\), [\d,]+ fuel/,
    ]);

    // Three calls in a row that run out disable it, as three kills by the watchdog do.
    const outOfFuel = playground.trace('spinner', 'event-result').filter({ hasText: 'out of fuel' });
    for (let times = 2; times <= 4; times++) {
      await playground.track('Take Five').getByTestId('play').click();
      await expect(outOfFuel).toHaveCount(times);
    }
    await expect(playground.plugin('spinner')).toHaveAttribute('data-state', 'installed');
    await expect(playground.plugin('spinner').getByTestId('plugin-notice')).toContainText('Disabled after 3 calls in a row ran past their budget');
  });

  test('a host call says the fuel and time its call had used; a lower budget in Settings applies to the next call, and running out keeps the config', async ({
    playground,
    page,
  }) => {
    await playground.installSample('hello-events');
    await playground.enable('hello-events');
    await page.getByTestId('peer-connect').click();
    await expect(playground.trace('hello-events', 'event-result')).toContainText([/✓ on_peer_connected .* fuel/]);
    const [total] = await fuelShown(playground, 'hello-events', 'event-result');
    // get-config, set-config twice, get-instance-info, get-current-timestamp: each later in the call.
    const calls = await fuelShown(playground, 'hello-events', 'host-call');
    expect(calls.length).toBeGreaterThanOrEqual(4);
    expect(calls).toEqual([...calls].sort((a, b) => a - b));
    expect(calls[0]).toBeGreaterThan(0);
    expect(calls.at(-1)).toBeLessThan(total!);
    // ... and the time: the guest's own, as its worker counted it, which the watchdog charges.
    const records = (await download(playground, () => page.getByTestId('trace-export').click()))
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as { kind: string; plugin: string; guestMs?: number; durationMs?: number })
      .filter((record) => record.plugin === 'hello-events');
    const asked = records.filter((record) => record.kind === 'host-call').map((record) => record.guestMs!);
    expect(asked).toHaveLength(calls.length);
    expect(asked.every((ms) => typeof ms === 'number' && ms >= 0)).toBe(true);
    expect(asked).toEqual([...asked].sort((a, b) => a - b));
    const result = records.find((record) => record.kind === 'event-result')!;
    expect(result.guestMs).toBeGreaterThanOrEqual(asked.at(-1)!);
    expect(result.guestMs).toBeLessThan(result.durationMs!);
    await expect(playground.trace('hello-events', 'event-result')).toContainText([
      /✓ on_peer_connected handled in [\d.]+ ms \(guest time [\d.]+ ms\), [\d,]+ fuel/,
    ]);

    // Less than the call uses before its first host call.
    await playground.setLimit('componentFuel', '1000');
    await page.getByTestId('peer-connect').click();
    await expect(playground.trace('hello-events', 'event-result')).toContainText([/✓/, /out of fuel: the call used its budget of 1,000 fuel/]);
    await playground.setLimit('componentFuel', '100000000');
    await page.getByTestId('peer-connect').click();
    await expect(playground.trace('hello-events', 'event-result')).toContainText([/✓/, /out of fuel/, /✓ on_peer_connected/]);
    // The call that ran out had not written its count: the fresh instance goes on from the first.
    await expect(await playground.configValue('hello-events', 'events-seen')).toHaveText('2');
  });
});
