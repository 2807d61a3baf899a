// npm run bench: builds the app, the benchmark plugins and the benchmark page, serves them
// cross-origin isolated (COOP/COEP) on port 4190, runs every figure in headless Chromium, prints
// a table and writes bench/results/<date>.json. Every figure is a ratio to a baseline measured in
// the same run; nothing here compares against a fixed time except the targets the table marks.
//   node scripts/bench.mjs [--no-build] [--only events,host-calls,...] [--serve]
// --serve only serves the page (http://localhost:4190/bench/), to run figures by hand from the
// console (`await bench.run('events')`) with DevTools' profiler at hand.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, join, normalize, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { chromium } from '@playwright/test';
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
  if (!only || only.includes('page')) rows.push(...(await pageFigures()));
} finally {
  await browser.close();
  server.close();
}

// ---- figure 8: the app's first paint and initial-route bundle ----------------------------

/** One load of `path` in a fresh context (empty cache): its first contentful paint and what it fetched. */
async function load(path) {
  const context = await newContext();
  const page = await context.newPage();
  const fetched = [];
  page.on('response', (response) => {
    fetched.push(
      response.body().then(
        (body) => ({ url: response.url(), type: response.headers()['content-type'] ?? '', bytes: body.length, gzip: gzipSync(body).length }),
        () => undefined,
      ),
    );
  });
  await page.goto(`${ORIGIN}${path}`, { waitUntil: 'load' });
  const fcp = await page.evaluate(
    () =>
      new Promise((resolve) => {
        const seen = () => performance.getEntriesByName('first-contentful-paint')[0]?.startTime;
        if (seen() !== undefined) return resolve(seen());
        new PerformanceObserver(() => seen() !== undefined && resolve(seen())).observe({ type: 'paint', buffered: true });
      }),
  );
  await page.waitForLoadState('networkidle');
  const responses = (await Promise.all(fetched)).filter(Boolean);
  await context.close();
  return { fcp, responses };
}

function summarize(samples) {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (p) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
  return { n: sorted.length, median: at(50), p99: at(99) };
}

function pageRow(name, unit, samples, baselineName, baselineSamples, note) {
  const value = summarize(samples);
  const base = summarize(baselineSamples);
  return {
    figure: '8 page',
    name,
    unit,
    value,
    baseline: { name: baselineName, value: base },
    ratio: { median: value.median / base.median, p99: value.p99 / base.p99 },
    note,
  };
}

async function pageFigures() {
  console.log('[bench] first paint and initial-route bundle of the app');
  const app = [];
  const blank = [];
  let initial;
  for (let i = 0; i < 7; i++) {
    blank.push((await load('/bench/blank.html')).fcp);
    const loaded = await load('/');
    app.push(loaded.fcp);
    initial ??= loaded.responses;
  }
  // Monaco is imported dynamically: the app may ask for it right after starting, but nothing
  // waits for it to paint. It is reported beside the initial route, not in it.
  const isLazy = (r) => /monaco|editor\.worker|codicon/i.test(new URL(r.url).pathname);
  const lazy = initial.filter(isLazy);
  const code = initial.filter((r) => !isLazy(r) && /javascript|css|html|wasm/.test(r.type));
  const sum = (list, key) => list.reduce((total, r) => total + r[key], 0);
  // All of the app's own code (the page, its workers, Monaco); not the transpiler's wasm, not samples.
  const built = filesUnder(appDir).filter((path) => /\.(js|css|html)$/.test(path) && !relative(appDir, path).startsWith('samples'));
  const builtBytes = built.reduce((total, path) => total + statSync(path).size, 0);
  const builtGzip = built.reduce((total, path) => total + gzipSync(readFileSync(path)).length, 0);
  const KiB = (n) => n / 1024;
  const lazyNote =
    lazy.length > 0 ? `; loaded lazily after start: ${lazy.map((r) => new URL(r.url).pathname).join(' ')} (${KiB(sum(lazy, 'gzip')).toFixed(0)} KiB gzip)` : '';
  return [
    pageRow('first contentful paint of the app', 'ms', app, 'a blank page from the same server', blank),
    pageRow(
      `initial route (${code.length} files), gzip`,
      'KiB',
      [KiB(sum(code, 'gzip'))],
      "all of the app's code, gzip (page, workers, Monaco)",
      [KiB(builtGzip)],
      `uncompressed ${KiB(sum(code, 'bytes')).toFixed(0)} KiB of ${KiB(builtBytes).toFixed(0)} KiB; files: ${code.map((r) => new URL(r.url).pathname).join(' ')}${lazyNote}`,
    ),
  ];
}

function filesUnder(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => (entry.isDirectory() ? filesUnder(join(dir, entry.name)) : [join(dir, entry.name)]));
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
  rows,
};
mkdirSync(join(root, 'bench', 'results'), { recursive: true });
const out = join(root, 'bench', 'results', `${results.date.slice(0, 10)}.json`);
writeFileSync(out, JSON.stringify(results, null, 2) + '\n');
console.log(`wrote ${relative(root, out)}`);
