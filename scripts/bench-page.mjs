// Figure 8, measured on the app's production build: its first paint and initial-route bundle.
// `app` is { origin, newContext, appDir } from scripts/bench.mjs.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { gzipSync } from 'node:zlib';

/** One load of `path` in a fresh context (empty cache): its first contentful paint and what it fetched. */
async function load(app, path) {
  const context = await app.newContext();
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
  await page.goto(`${app.origin}${path}`, { waitUntil: 'load' });
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

/** Figure 8: the app's first paint and initial-route bundle. */
export async function pageFigures(app) {
  console.log('[bench] first paint and initial-route bundle of the app');
  const painted = [];
  const blank = [];
  let initial;
  for (let i = 0; i < 7; i++) {
    blank.push((await load(app, '/bench/blank.html')).fcp);
    const loaded = await load(app, '/');
    painted.push(loaded.fcp);
    initial ??= loaded.responses;
  }
  // Monaco is imported dynamically: the app may ask for it right after starting, but nothing
  // waits for it to paint. It is reported beside the initial route, not in it.
  const isLazy = (r) => /monaco|editor\.worker|codicon/i.test(new URL(r.url).pathname);
  const lazy = initial.filter(isLazy);
  const code = initial.filter((r) => !isLazy(r) && /javascript|css|html|wasm/.test(r.type));
  const sum = (list, key) => list.reduce((total, r) => total + r[key], 0);
  // All of the app's own code (the page, its workers, Monaco); not the transpiler's wasm, not samples.
  const built = filesUnder(app.appDir).filter((path) => /\.(js|css|html)$/.test(path) && !relative(app.appDir, path).startsWith('samples'));
  const builtBytes = built.reduce((total, path) => total + statSync(path).size, 0);
  const builtGzip = built.reduce((total, path) => total + gzipSync(readFileSync(path)).length, 0);
  const KiB = (n) => n / 1024;
  const lazyNote =
    lazy.length > 0 ? `; loaded lazily after start: ${lazy.map((r) => new URL(r.url).pathname).join(' ')} (${KiB(sum(lazy, 'gzip')).toFixed(0)} KiB gzip)` : '';
  return [
    pageRow('first contentful paint of the app', 'ms', painted, 'a blank page from the same server', blank),
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
