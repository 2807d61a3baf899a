// "New plugin…": the starter project downloaded, unzipped, built with the project's own jco,
// installed and run; then its own `npm test` (the headless runner with its scenario) passes.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { unzipSync } from 'fflate';
import { expect, root, test } from './fixtures.ts';

function npmTest(cwd: string): Promise<{ code: number | null; output: string }> {
  return new Promise((done) => {
    const child = spawn('npm', ['test'], { cwd, env: { ...process.env, PLUGIN_PLAYGROUND: root } });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('close', (code) => done({ code, output }));
  });
}

test('New plugin… downloads a starter project that builds with jco, runs in the playground and passes its own test', async ({ playground, page }, testInfo) => {
  test.setTimeout(300_000);
  await page.getByTestId('new-plugin').click();
  await page.getByTestId('new-plugin-name').fill('First Plugin');
  await page.getByTestId('new-plugin-download').click();
  await expect(page.getByTestId('new-plugin-message')).toContainText('plugin.name "First Plugin" must match');

  await page.getByTestId('new-plugin-name').fill('first-plugin');
  const downloaded = page.waitForEvent('download');
  await page.getByTestId('new-plugin-download').click();
  const download = await downloaded;
  expect(download.suggestedFilename()).toBe('first-plugin.zip');
  const dir = testInfo.outputPath('unzipped');
  for (const [path, bytes] of Object.entries(unzipSync(readFileSync((await download.path())!)))) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), bytes);
  }
  const project = join(dir, 'first-plugin');

  // Its build script, with the jco this project already has (no install from the network).
  const [command, ...args] = JSON.parse(readFileSync(join(project, 'package.json'), 'utf8')).scripts.build.split(' ');
  expect(command).toBe('jco');
  const built = spawnSync(join(root, 'node_modules', '.bin', 'jco'), args, { cwd: project, encoding: 'utf8' });
  expect(built.status, built.stderr).toBe(0);

  await playground.upload(join(project, 'plugin.wasm'), join(project, 'plugin.toml'));
  await expect(playground.status).toContainText('Installed first-plugin 0.1.0');
  await playground.enable('first-plugin');
  await page.getByTestId('peer-connect').click();
  await playground.addTrack('So What', 'Miles Davis');
  await expect(playground.trace('first-plugin', 'log')).toHaveText([/saw peer-connected #1/, /saw track-added #2/]);

  const tested = await npmTest(project);
  expect(tested.output).toContain('PASS expect[0] {"kind":"log","message":"^saw peer-connected #1$"}');
  expect(tested.output).toContain('3 passed, 0 failed');
  expect(tested.code, tested.output).toBe(0);
});
