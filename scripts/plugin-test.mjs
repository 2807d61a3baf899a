// The headless runner for CI: plays a scenario against a plugin in the production build, in
// headless Chromium, the way a person would: upload the plugin (and its plugin.toml), approve
// and enable it, replay the scenario from its card, and read what the replay saw. The checks
// are the scenario module's own (src/shared/scenario.ts), so they hold here exactly when they
// hold in the Replay tab.
//   npm run plugin-test -- <plugin.wasm> [--manifest plugin.toml] --scenario <scenario.json>
// Prints one line per expectation and `N passed, N failed` on stdout (progress and notes go to
// stderr). Exit 0: all hold; 1: one or more do not; 2: an input it cannot use, or no playground.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { basename, extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from '@playwright/test';
import { build } from 'rolldown';
import { CHROMIUM_ARGS, chromiumExecutable } from './chromium.mjs';
import { CONTENT_TYPES } from './content-types.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const dist = join(root, 'dist');

class Unusable extends Error {}

const say = (text) => process.stderr.write(`plugin-test: ${text}\n`);

/** Node 20 cannot import TypeScript: rolldown (Vite's bundler) bundles the module in memory. */
async function loadReport() {
  const { output } = await build({ cwd: root, input: 'src/shared/scenario-report.ts', output: { format: 'esm' }, write: false, logLevel: 'silent' });
  return import(`data:text/javascript;base64,${Buffer.from(output[0].code).toString('base64')}`);
}

// npm runs scripts in the package's folder; INIT_CWD is where the command was typed.
const fromCaller = (path) => resolve(process.env.INIT_CWD ?? process.cwd(), path);

function readInput(what, path) {
  try {
    return readFileSync(fromCaller(path));
  } catch (e) {
    throw new Unusable(`cannot read the ${what} ${path}: ${e.code === 'ENOENT' ? 'no such file' : e.message}.`);
  }
}

function ensureBuilt() {
  if (existsSync(join(dist, 'index.html'))) return;
  say('dist/ is missing: building the playground (npm run build)…');
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const result = spawnSync(npm, ['run', 'build'], { cwd: root, stdio: ['ignore', process.stderr, process.stderr] });
  if (result.status !== 0) throw new Unusable(`the playground could not be built (npm run build exited with ${result.status}).`);
}

/** The production build on a free loopback port; resolves to its origin. */
function serve() {
  const server = createServer((request, response) => {
    const { pathname } = new URL(request.url ?? '/', 'http://localhost');
    const rest = normalize(decodeURIComponent(pathname).replace(/^\/+/, '') || 'index.html');
    let path = join(dist, rest);
    if (rest.startsWith('..') || rest.includes(`${sep}..`)) path = '';
    if (path && existsSync(path) && statSync(path).isDirectory()) path = join(path, 'index.html');
    if (!path || !existsSync(path)) {
      response.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found');
      return;
    }
    response.writeHead(200, { 'Content-Type': CONTENT_TYPES[extname(path)] ?? 'application/octet-stream' }).end(readFileSync(path));
  });
  return new Promise((ready) => server.listen(0, '127.0.0.1', () => ready({ server, origin: `http://127.0.0.1:${server.address().port}` })));
}

/** Installs the plugin through the file input and enables it, approving its review; resolves to its id. */
async function install(page, files, timeout) {
  await page.getByTestId('file-input').setInputFiles(files);
  const card = page.locator('pp-plugin-card');
  const refused = page.getByTestId('upload-error');
  await card.or(refused).first().waitFor({ timeout });
  if (await refused.isVisible()) throw new Unusable(`the playground refused the plugin: ${(await refused.innerText()).replace(/\s*\n\s*/g, ' ')}`);
  const id = (await card.getAttribute('data-testid')).replace(/^plugin-/, '');
  await card.getByTestId('enable').click();
  // Enabling shows the review when the manifest asks for anything; a plugin that cannot start is
  // still played (its calls fail, and the expectations say so).
  const approve = card.getByTestId('review-approve');
  const started = page.locator(`pp-plugin-card[data-testid="plugin-${id}"]:is([data-state="running"], [data-state="error"])`);
  await approve.or(started).first().waitFor({ timeout });
  if (await approve.isVisible()) {
    await approve.click();
    await started.waitFor({ timeout });
  }
  const error = card.getByTestId('plugin-error');
  if (await error.isVisible()) say(`${id} did not start: ${await error.innerText()}`);
  return { id, card };
}

async function main() {
  const report = await loadReport();
  const parsed = report.parseArgs(process.argv.slice(2));
  if (parsed.ok === 'help') {
    console.log(report.USAGE);
    return 0;
  }
  if (!parsed.ok) throw new Unusable(parsed.problem);
  const { wasm, manifest, scenario: scenarioPath } = parsed.args;
  const files = [{ name: basename(wasm), mimeType: 'application/wasm', buffer: readInput('plugin', wasm) }];
  if (manifest) files.push({ name: basename(manifest), mimeType: 'text/plain', buffer: readInput('manifest', manifest) });
  const scenarioBytes = readInput('scenario', scenarioPath);
  const scenario = report.parseScenario(scenarioBytes.toString('utf8'));
  if (!scenario.ok) throw new Unusable(`${scenarioPath} is not a scenario this runner can play:\n  ${scenario.problems.join('\n  ')}`);

  ensureBuilt();
  const { server, origin } = await serve();
  const browser = await chromium.launch({ executablePath: chromiumExecutable(), args: [...CHROMIUM_ARGS] });
  try {
    // A fresh profile: nothing installed, no config; no service worker to precache the app.
    const context = await browser.newContext({ baseURL: origin, serviceWorkers: 'block' });
    const page = await context.newPage();
    page.on('pageerror', (e) => say(`the page reported an error: ${e.message}`));
    const timeout = report.PLUGIN_TEST_PHASE_MS;
    await page.goto('/');
    await page.getByTestId('file-input').waitFor({ state: 'attached', timeout });
    say(`installing ${files.map((f) => f.name).join(' + ')}…`);
    const { id, card } = await install(page, files, timeout);

    const count = scenario.scenario.steps.length;
    say(`playing ${count} ${count === 1 ? 'step' : 'steps'} of ${basename(scenarioPath)} against ${id}…`);
    await card.getByTestId('replay-input').setInputFiles({ name: basename(scenarioPath), mimeType: 'application/json', buffer: scenarioBytes });
    const done = page.locator('pp-replay-view[data-state="done"]');
    const failed = card.getByTestId('author-message').and(page.locator('.error-text'));
    await done
      .or(failed)
      .first()
      .waitFor({ timeout: timeout * Math.max(1, scenario.scenario.steps.length) });
    if (await failed.isVisible()) throw new Unusable(await failed.innerText());
    const played = await done.evaluate((view) => ({ records: view.result.records, notes: view.result.notes }));
    for (const note of played.notes) say(`note: ${note}`);

    const checks = report.checkScenario(scenario.scenario, played.records);
    for (const line of report.reportLines(checks, id)) console.log(line);
    return checks.every((check) => check.matched) ? 0 : 1;
  } finally {
    await browser.close();
    server.close();
  }
}

main().then(
  (code) => process.exit(code),
  (e) => {
    say(e instanceof Unusable ? e.message : `stopped: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    process.exit(2);
  },
);
