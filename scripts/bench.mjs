// npm run bench: builds the app, the benchmark plugins and the benchmark page, serves them
// cross-origin isolated (COOP/COEP) on port 4190, runs every figure in headless Chromium, prints
// a table and writes bench/results/<date>.json. A run of some figures only writes
// <date>.only-<figures>.json, and a later run of the same day is numbered (<date>.2.json), so no
// run replaces another's results. Every figure is a ratio to a baseline measured in the same
// run; nothing here compares against a fixed time except the targets the table marks.
//   node scripts/bench.mjs [--no-build] [--only events,host-calls,...,trace,page] [--serve]
// --serve only serves the page (http://localhost:4190/bench/), to run figures by hand from the
// console (`await bench.run('events')`) with DevTools' profiler at hand.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, join, normalize, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from '@playwright/test';
import { pageFigures } from './bench-page.mjs';
import { traceFigures } from './bench-trace.mjs';
import { CHROMIUM_ARGS, chromiumExecutable } from './chromium.mjs';
import { CONTENT_TYPES } from './content-types.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
// The reference plugins live beside the repository, never inside it.
const shared = fileURLToPath(new URL('../shared/', new URL('..', import.meta.url)));
const PORT = 4190;
const ORIGIN = `http://localhost:${PORT}`;
const appDir = join(root, 'bench', 'dist', 'app');
const pageDir = join(root, 'bench', 'dist', 'page');
const pluginsDir = join(root, 'bench', 'plugins', 'dist');

const args = process.argv.slice(2);
const build = !args.includes('--no-build');
const onlyAt = args.indexOf('--only');
const only = onlyAt >= 0 ? args[onlyAt + 1]?.split(',') : undefined;
const serveOnly = args.includes('--serve');

// ---- build ------------------------------------------------------------------------------

function step(label, command, commandArgs) {
  const began = Date.now();
  const result = spawnSync(command, commandArgs, { cwd: root, encoding: 'utf8' });
  if (result.status !== 0) {
    process.stderr.write(result.stdout + result.stderr);
    throw new Error(`${label} failed (exit code ${result.status})`);
  }
  console.log(`built ${label} in ${((Date.now() - began) / 1000).toFixed(1)} s`);
}

if (build) {
  const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';
  step('sample plugins', 'node', ['scripts/build-samples.mjs']);
  step('benchmark plugins', 'node', ['scripts/build-samples.mjs', 'bench/plugins', 'bench/plugins/dist']);
  step('plugin typings check', npx, ['tsc', '-p', 'sample-plugins/tsconfig.json']);
  // The app goes to its own folder, so a build or preview of dist/ running meanwhile is not disturbed.
  step('app', npx, ['vite', 'build', '--outDir', 'bench/dist/app', '--emptyOutDir', '--logLevel', 'warn']);
  step('benchmark page', npx, ['vite', 'build', '-c', 'bench/vite.config.ts']);
}

// ---- serve ------------------------------------------------------------------------------

const ROUTES = [
  ['/bench/blank.html', join(root, 'bench', 'blank.html')],
  ['/bench/', pageDir],
  ['/bench-plugins/', pluginsDir],
  ['/shared/reference/extism/', join(shared, 'reference', 'extism')],
  ['/', appDir],
];

function resolvePath(pathname) {
  for (const [prefix, target] of ROUTES) {
    if (prefix.endsWith('/') ? !pathname.startsWith(prefix) : pathname !== prefix) continue;
    if (!prefix.endsWith('/')) return target;
    const rest = normalize(decodeURIComponent(pathname.slice(prefix.length)) || 'index.html');
    if (rest.startsWith('..') || rest.includes(`${sep}..`)) return undefined;
    let path = join(target, rest);
    if (existsSync(path) && statSync(path).isDirectory()) path = join(path, 'index.html');
    return path;
  }
  return undefined;
}

const server = createServer((request, response) => {
  const { pathname } = new URL(request.url ?? '/', ORIGIN);
  const path = resolvePath(pathname);
  // Cross-origin isolation: SharedArrayBuffer for Extism's worker mode, precise timers and
  // performance.measureUserAgentSpecificMemory().
  response.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
  response.setHeader('Cross-Origin-Embedder-Policy', 'require-corp');
  response.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
  if (!path || !existsSync(path) || !statSync(path).isFile()) {
    response.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found');
    return;
  }
  response.writeHead(200, {
    'Content-Type': CONTENT_TYPES[extname(path)] ?? 'application/octet-stream',
    'Cache-Control': extname(path) === '.html' ? 'no-cache' : 'max-age=3600',
  });
  response.end(readFileSync(path));
});
await new Promise((resolve, reject) => server.once('error', reject).listen(PORT, 'localhost', resolve));
if (serveOnly) {
  console.log(`serving the benchmark page at ${ORIGIN}/bench/ (Ctrl-C to stop)`);
  await new Promise(() => {});
}

// ---- browser ----------------------------------------------------------------------------

const browser = await chromium.launch({
  executablePath: chromiumExecutable(),
  args: [
    ...CHROMIUM_ARGS,
    // measureUserAgentSpecificMemory() otherwise waits for the next natural GC (up to ~20 s).
    '--enable-blink-features=ForceEagerMeasureMemory',
    // gc(), for figures that must not measure the garbage of what ran before them.
    '--js-flags=--expose-gc',
  ],
});
// The app registers a service worker; it must not serve (or precache) anything here.
const newContext = () => browser.newContext({ serviceWorkers: 'block' });
const browserVersion = browser.version();

const rows = [];
let environment;
try {
  const context = await newContext();
  const page = await context.newPage();
  page.on('console', (message) => {
    if (message.text().startsWith('[bench]')) console.log(message.text());
    else if (message.type() === 'error') console.log(`page error: ${message.text()}`);
  });
  page.on('pageerror', (error) => console.log(`page error: ${error.message}`));
  await page.goto(`${ORIGIN}/bench/`);
  await page.waitForFunction(() => 'bench' in window);
  environment = await page.evaluate(() => window.bench.environment());
  if (!environment.crossOriginIsolated) throw new Error('the bench page is not cross-origin isolated; check the COOP/COEP headers');
  const figures = await page.evaluate(() => window.bench.figures);
  for (const figure of figures) {
    if (only && !only.includes(figure)) continue;
    if (figure === 'extism' && !existsSync(join(shared, 'reference', 'extism', 'code.wasm'))) {
      console.log(`figure extism: skipped, ${relative(root, join(shared, 'reference', 'extism', 'code.wasm'))} is not here`);
      continue;
    }
    const began = Date.now();
    rows.push(...(await page.evaluate((name) => window.bench.run(name), figure)));
    console.log(`figure ${figure}: ${((Date.now() - began) / 1000).toFixed(0)} s`);
  }
  await context.close();
  // Figures on the app's own page (scripts/bench-page.mjs, scripts/bench-trace.mjs).
  const app = { origin: ORIGIN, newContext, appDir, pluginsDir };
  if (!only || only.includes('trace')) rows.push(...(await traceFigures(app)));
  if (!only || only.includes('page')) rows.push(...(await pageFigures(app)));
} finally {
  await browser.close();
  server.close();
}

// ---- report -----------------------------------------------------------------------------

function format(value, unit) {
  if (!Number.isFinite(value)) return String(value);
  if (unit === 'ms') return value < 1 ? `${(value * 1000).toFixed(0)} µs` : `${value.toFixed(value < 10 ? 2 : 0)} ms`;
  if (unit === 'events/s') return `${Math.round(value).toLocaleString('en')}/s`;
  if (unit === 'workers') return String(value);
  return `${value.toFixed(1)} ${unit}`;
}

const ratio = (r) => (r ? `${r.median.toFixed(2)}× / ${r.p99.toFixed(2)}×` : '');

function table(rowsToPrint) {
  const header = ['figure', 'measured', 'n', 'median', 'p99', 'baseline (median)', 'ratio median / p99', 'target', 'met'];
  const lines = rowsToPrint.map((r) => [
    r.figure,
    r.name,
    String(r.value.n),
    format(r.value.median, r.unit),
    format(r.value.p99, r.unit),
    r.baseline ? `${r.baseline.name}: ${format(r.baseline.value.median, r.unit)}` : '',
    ratio(r.ratio),
    r.target?.text ?? '',
    r.target ? (r.target.met ? 'met' : 'MISSED') : '',
  ]);
  const widths = header.map((h, i) => Math.min(i === 1 || i === 5 ? 60 : 40, Math.max(h.length, ...lines.map((l) => l[i].length))));
  const cell = (text, i) => (text.length > widths[i] ? `${text.slice(0, widths[i] - 1)}…` : text.padEnd(widths[i]));
  const out = [header.map(cell).join(' | '), widths.map((w) => '-'.repeat(w)).join('-|-')];
  lines.forEach((line, i) => {
    out.push(line.map(cell).join(' | '));
    const full = rowsToPrint[i];
    if (full.name.length > widths[1] || (full.baseline && line[5].length > widths[5])) {
      out.push(`${''.padEnd(widths[0])} |   ${full.name}${full.baseline ? ` — vs ${full.baseline.name}` : ''}`);
    }
    if (full.note) out.push(`${''.padEnd(widths[0])} |   ${full.note}`);
  });
  return out.join('\n');
}

console.log(`\n${table(rows)}\n`);
const missed = rows.filter((r) => r.target && !r.target.met);
console.log(missed.length === 0 ? 'Every target met.' : `${missed.length} target(s) missed: ${missed.map((r) => `${r.figure}: ${r.name}`).join('; ')}`);

const commit = spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root, encoding: 'utf8' }).stdout.trim();
const results = {
  date: new Date().toISOString(),
  commit,
  machine: { node: process.version, cpus: environment?.hardwareConcurrency },
  browser: { version: browserVersion, ...environment },
  only,
  rows,
};
mkdirSync(join(root, 'bench', 'results'), { recursive: true });
// A later run of the same day and figures is numbered: no run replaces an earlier one.
const stem = join(root, 'bench', 'results', `${results.date.slice(0, 10)}${only ? `.only-${only.join('-')}` : ''}`);
let out = `${stem}.json`;
for (let n = 2; existsSync(out); n++) out = `${stem}.${n}.json`;
writeFileSync(out, JSON.stringify(results, null, 2) + '\n');
console.log(`wrote ${relative(root, out)}`);
