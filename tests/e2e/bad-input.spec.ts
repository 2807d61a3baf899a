import { closeSync, ftruncateSync, openSync, readFileSync } from 'node:fs';
import { parse } from '@bytecodealliance/jco-transpile/wasm-tools';
import { expect, sampleBytes, test, type PlaygroundPage } from './fixtures.ts';

const wasm = (name: string, buffer: Buffer) => ({ name, mimeType: 'application/wasm', buffer });

/** A component written against a newer playground host than this one provides. */
async function futurePlugin(): Promise<Buffer> {
  const component = await parse(`(component
    (type (instance (export "log-info" (func (param "message" string)))))
    (import "playground:plugin/host@0.2.0" (instance (type 0))))`);
  return Buffer.from(component);
}

async function expectRefused(playground: PlaygroundPage, message: string | RegExp): Promise<void> {
  await expect(playground.uploadError).toContainText(message);
  await expect(playground.page.getByTestId('no-plugins')).toBeVisible();
}

test.describe('bad input gets a clear message and changes nothing', () => {
  test('an empty file', async ({ playground }) => {
    await playground.upload(wasm('empty.wasm', Buffer.alloc(0)));
    await expectRefused(playground, '"empty.wasm" is empty (0 bytes)');
  });

  test('random bytes', async ({ playground }) => {
    await playground.upload(wasm('noise.wasm', Buffer.from('this is not webassembly at all, just text')));
    await expectRefused(playground, '"noise.wasm" is not a WebAssembly file');
  });

  test('a truncated component', async ({ playground }) => {
    const whole = sampleBytes('hello-events');
    await playground.upload(wasm('cut.wasm', whole.subarray(0, Math.floor(whole.length / 2))));
    await expectRefused(playground, /The component could not be read \(.+\)\. The file may be truncated or damaged/);
  });

  test('a core module instead of a component', async ({ playground }) => {
    const emptyCoreModule = Buffer.from([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);
    await playground.upload(wasm('core.wasm', emptyCoreModule));
    await expectRefused(playground, '"core.wasm" is a core WebAssembly module, not a component');
    await expect(playground.uploadError).toContainText('jco new core.wasm');
  });

  test('a file over the size limit is refused before it is read', async ({ playground }, testInfo) => {
    // Sparse: the file has the declared size without 50 MiB of writes.
    const path = testInfo.outputPath('huge.wasm');
    const fd = openSync(path, 'w');
    ftruncateSync(fd, 50 * 1024 * 1024 + 1);
    closeSync(fd);
    await playground.upload(path);
    await expectRefused(playground, '"huge.wasm" is 50.0 MiB, over the 50.0 MiB limit');
  });

  // A component no plugin profile recognises is explored instead (explore.spec.ts); one that
  // claims the playground's package but breaks its contract is still refused, with what is wrong.
  test('a component that imports the playground host at another version lists what it cannot satisfy', async ({ playground }) => {
    await playground.upload(wasm('future.wasm', await futurePlugin()));
    await expectRefused(playground, 'This component is not a playground plugin');
    await expect(playground.page.getByTestId('unsatisfied-imports')).toHaveText([
      'playground:plugin/host@0.2.0 (the playground provides playground:plugin/host@0.1.x)',
    ]);
    await expect(playground.page.getByTestId('explore')).toHaveCount(0);
  });

  test('a bad file does not disturb an installed plugin', async ({ playground }) => {
    await playground.installSample('hello-events');
    await playground.enable('hello-events');
    await playground.upload(wasm('noise.wasm', readFileSync(new URL(import.meta.url))));
    await expect(playground.uploadError).toContainText('is not a WebAssembly file');
    await expect(playground.plugin('hello-events')).toHaveAttribute('data-state', 'running');
    await playground.page.getByTestId('peer-connect').click();
    await expect(playground.trace('hello-events', 'event-result')).toContainText(['✓ on_peer_connected']);
  });
});

test('a browser without JSPI is told on load what is missing and which browsers work', async ({ browser }) => {
  const page = await browser.newPage();
  await page.addInitScript(() => {
    delete (WebAssembly as { Suspending?: unknown }).Suspending;
  });
  await page.goto('/');
  await expect(page.getByTestId('capability-notice')).toContainText('WebAssembly.Suspending');
  await expect(page.getByTestId('capability-notice')).toContainText('Chromium-based browser, version 137');
  await expect(page.getByTestId('sample-hello-events')).toBeEnabled();
  await page.close();
});
