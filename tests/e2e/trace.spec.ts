import { readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { JSON_VIEW_CHUNK_LINES, JSON_VIEW_LINES } from '../../src/shared/limits.ts';
import { expect, test, type PlaygroundPage } from './fixtures.ts';

interface Line {
  seq: number;
  time: string;
  plugin: string;
  kind: string;
  [key: string]: unknown;
}

const jsonView = (page: Page) => page.getByTestId('trace-json');
/** The lines Monaco renders (it renders only what is in view), top to bottom: its DOM keeps no order (and spaces are U+00A0). */
const shownLines = (page: Page) => jsonView(page).locator('.view-lines .view-line');
const shownInOrder = (page: Page) =>
  jsonView(page)
    .locator('.view-lines')
    .evaluate((el) =>
      Array.from(el.querySelectorAll<HTMLElement>('.view-line'))
        .sort((a, b) => parseFloat(a.style.top) - parseFloat(b.style.top))
        .map((line) => (line.textContent ?? '').replace(/\u00a0/g, ' ')),
    );
const lastShown = async (page: Page) => (await shownInOrder(page)).at(-1) ?? '';
const firstShown = async (page: Page) => (await shownInOrder(page))[0] ?? '';
/** The line number Monaco draws beside the first line in view. */
const firstLineNumber = async (page: Page) => {
  const numbers = await jsonView(page).locator('.line-numbers').allTextContents();
  return Math.min(...numbers.map(Number));
};

async function showJson(playground: PlaygroundPage): Promise<void> {
  await playground.page.getByTestId('trace-view-json').click();
  await expect(jsonView(playground.page).locator('.monaco-editor')).toBeVisible();
}

async function jsonLines(playground: PlaygroundPage): Promise<Line[]> {
  const text = await playground.editorValue('trace-json');
  return text
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Line);
}

/** Adds records the way the host does, through the page's own trace. */
async function addLogRecords(page: Page, count: number, prefix: string): Promise<void> {
  await page.evaluate(
    ({ count, prefix }) => {
      type Host = HTMLElement & { playground: { trace: { add(input: unknown): void } } };
      const { trace } = (document.querySelector('pp-app') as Host).playground;
      for (let i = 1; i <= count; i++) trace.add({ kind: 'log', pluginId: 'flood', level: 'info', message: `${prefix} ${i}` });
    },
    { count, prefix },
  );
}

test.describe('the trace in the editor', () => {
  test('an event round trip streams as JSON lines; filter and export keep to what matches', async ({ playground, page }) => {
    await showJson(playground);
    await playground.installSample('hello-events');
    await playground.enable('hello-events');
    await playground.track('Take Five').getByTestId('play').click();
    await expect.poll(() => lastShown(page)).toContain('"kind":"event-result"');

    const lines = await jsonLines(playground);
    const mine = lines.filter((l) => l.plugin === 'hello-events');
    const delivered = mine.findIndex((l) => l.kind === 'event' && l.event === 'on_track_played');
    const handled = mine.findIndex((l) => l.kind === 'event-result' && l.event === 'on_track_played');
    expect(delivered).toBeGreaterThanOrEqual(0);
    expect(mine[handled]).toMatchObject({ result: 'success', durationMs: expect.any(Number) });
    // Between delivery and result: the plugin's host calls with their arguments, results and times, and its log line.
    const between = mine.slice(delivered + 1, handled);
    expect(between).toContainEqual(
      expect.objectContaining({ kind: 'host-call', fn: 'set-config', args: ['events-seen', '1'], result: { tag: 'ok' }, durationMs: expect.any(Number) }),
    );
    expect(between).toContainEqual(expect.objectContaining({ kind: 'log', level: 'info', message: expect.stringContaining('track-played') }));
    // Lifecycle: transpiled (or from the cache) and started.
    expect(mine.filter((l) => l.kind === 'lifecycle').map((l) => l.step)).toEqual(expect.arrayContaining(['started']));
    expect(lines.map((l) => l.seq)).toEqual([...lines.map((l) => l.seq)].sort((a, b) => a - b));
    expect(Date.parse(lines[0]!.time)).not.toBeNaN();

    await page.getByTestId('trace-kind').selectOption('host-call');
    await expect(page.getByTestId('trace-count')).toHaveText(`${mine.filter((l) => l.kind === 'host-call').length} records`);
    const hostCalls = await jsonLines(playground);
    expect(hostCalls.length).toBeGreaterThan(0);
    expect(hostCalls.every((l) => l.kind === 'host-call' && l.plugin === 'hello-events')).toBe(true);
    await expect.poll(() => firstShown(page)).toContain('"kind":"host-call"');

    const download = page.waitForEvent('download');
    await page.getByTestId('trace-export').click();
    const file = await download;
    expect(file.suggestedFilename()).toMatch(/^trace-.*\.jsonl$/);
    const exported = readFileSync(await file.path(), 'utf8');
    expect(exported.endsWith('\n')).toBe(true);
    expect(
      exported
        .trimEnd()
        .split('\n')
        .map((line) => JSON.parse(line) as Line),
    ).toEqual(hostCalls);

    // New records that do not match stay out; ones that do come in.
    await playground.track('Take Five').getByTestId('play').click();
    await expect.poll(async () => (await jsonLines(playground)).length).toBeGreaterThan(hostCalls.length);
    expect((await jsonLines(playground)).every((l) => l.kind === 'host-call')).toBe(true);

    await page.getByTestId('trace-kind').selectOption('');
    await page.getByTestId('trace-clear').click();
    await expect(page.getByTestId('trace-count')).toHaveText('0 records');
    expect(await playground.editorValue('trace-json')).toBe('');
  });

  test('100,000 records stay bounded and the view follows the end unless scrolled up', async ({ playground, page }) => {
    await showJson(playground);
    await addLogRecords(page, 120_000, 'first');
    // The trace keeps the newest 100,000 (dropping the oldest in chunks of 10%); the view,
    // following the end, holds the newest of them.
    const count = page.getByTestId('trace-count');
    await expect(count).toHaveText(/^1[01]\d,\d{3} records$/);
    await expect.poll(() => lastShown(page)).toContain('"message":"first 120000"');
    const lines = await jsonLines(playground);
    expect(lines).toHaveLength(JSON_VIEW_LINES);
    expect(lines.at(-1)!.message).toBe('first 120000');
    expect(lines[0]!.message).toBe(`first ${120_000 - JSON_VIEW_LINES + 1}`);

    // Scrolled up, new records do not pull the view down, even when they push the trace over
    // its bound and the oldest lines drop from the top.
    await jsonView(page).locator('.view-lines').click();
    await page.mouse.wheel(0, -4000);
    await expect.poll(() => lastShown(page)).not.toContain('first 120000');
    const topLine = await firstShown(page);
    await addLogRecords(page, 10, 'second');
    await expect.poll(async () => (await jsonLines(playground)).at(-1)!.message).toBe('second 10');
    await expect.poll(() => firstShown(page)).toBe(topLine);

    // Back at the end, it follows again.
    await page.keyboard.press('ControlOrMeta+End');
    await expect.poll(() => lastShown(page)).toContain('"message":"second 10"');
    await addLogRecords(page, 10, 'third');
    await expect.poll(() => lastShown(page)).toContain('"message":"third 10"');

    // The page still answers: other tabs and the filter work.
    await page.getByTestId('tab-settings').click();
    await expect(page.getByTestId('settings-save')).toBeVisible();
    await playground.showTrace();
    await page.getByTestId('trace-plugin').selectOption('flood');
    await expect(count).toHaveText(/^1[01]\d,\d{3} records$/);
    await expect.poll(() => lastShown(page)).toContain('"message":"third 10"');
    // Line numbers count the matching records, not the lines the view happens to hold.
    const kept = Number((await count.textContent())!.replace(/\D/g, ''));
    expect(await firstLineNumber(page)).toBeGreaterThan(kept - JSON_VIEW_LINES);
  });

  test('Clear empties the JSON view that grew from an empty trace', async ({ playground, page }) => {
    await showJson(playground);
    await addLogRecords(page, 5, 'grown');
    await expect.poll(() => lastShown(page)).toContain('"message":"grown 5"');
    await page.getByTestId('trace-clear').click();
    await expect(page.getByTestId('trace-count')).toHaveText('0 records');
    await expect.poll(() => playground.editorValue('trace-json')).toBe('');
  });

  test('behind another tab, the trace keeps its view and filter, and shows what came meanwhile on return', async ({ playground, page }) => {
    await showJson(playground);
    await addLogRecords(page, 5, 'before');
    await page.getByTestId('trace-kind').selectOption('log');
    await expect(page.getByTestId('trace-count')).toHaveText('5 records');

    await page.getByTestId('tab-settings').click();
    await expect(jsonView(page)).toBeHidden();
    await addLogRecords(page, 3, 'meanwhile');
    await playground.showTrace();
    await expect(page.getByTestId('trace-kind')).toHaveValue('log');
    await expect(page.getByTestId('trace-view-json')).toHaveAttribute('aria-pressed', 'true');
    await expect(page.getByTestId('trace-count')).toHaveText('8 records');
    await expect.poll(() => lastShown(page)).toContain('"message":"meanwhile 3"');
  });

  test('scrolled to its first line, the view takes in older records until it reaches the oldest', async ({ playground, page }) => {
    await showJson(playground);
    const total = 2 * JSON_VIEW_LINES + JSON_VIEW_CHUNK_LINES / 2;
    await addLogRecords(page, total, 'line');
    await expect.poll(() => lastShown(page)).toContain(`"message":"line ${total}"`);
    expect(await jsonLines(playground)).toHaveLength(JSON_VIEW_LINES);

    await jsonView(page).locator('.view-lines').click();
    await expect
      .poll(async () => {
        await page.keyboard.press('ControlOrMeta+Home');
        return shownLines(page).filter({ hasText: '"message":"line 1"}' }).count();
      })
      .toBe(1);
    expect(await firstLineNumber(page)).toBe(1);
    const lines = await jsonLines(playground);
    expect(lines.map((l) => l.message)).toEqual(Array.from({ length: total }, (_, i) => `line ${i + 1}`));

    // Back at the end it follows again, and lets go of the older lines as new ones come.
    await page.keyboard.press('ControlOrMeta+End');
    await addLogRecords(page, 10, 'after');
    await expect.poll(() => lastShown(page)).toContain('"message":"after 10"');
    await expect.poll(async () => (await jsonLines(playground)).length).toBe(JSON_VIEW_LINES);
  });
});
