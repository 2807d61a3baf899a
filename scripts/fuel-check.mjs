// Instruments the core modules of real components and checks the result: per module the time it
// takes, the size before and after, and that it validates; then the component runs on the
// instrumented modules (instantiate, metadata twice, on-event twice) with one shared FuelMeter,
// and a small budget must end in "out of fuel".
//   node scripts/fuel-check.mjs [component.wasm ...]
// Default: public/samples/hello-events.wasm (QuickJS) and play-stats.wasm (StarlingMonkey), which
// `npm run build:samples` builds.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import v8 from 'node:v8';
import { loadInstrumenter } from './fuel-instrumenter.mjs';

// Node 20's V8 has extended constant expressions behind a flag (Chromium ships them); the
// StarlingMonkey and QuickJS adapters use them.
v8.setFlagsFromString('--experimental-wasm-extended-const');
// jco's glue wraps some imports in JSPI's Suspending and exports in promising, whichever the
// calls need; Node 20 has no JSPI. With synchronous host stubs nothing suspends, so plain
// pass-throughs will do.
WebAssembly.Suspending ??= function Suspending(fn) {
  return fn;
};
WebAssembly.promising ??=
  (fn) =>
  async (...args) =>
    fn(...args);

const root = fileURLToPath(new URL('..', import.meta.url));
const inputs = process.argv.slice(2);
const components = inputs.length ? inputs : ['hello-events', 'play-stats'].map((name) => join(root, 'public', 'samples', `${name}.wasm`));
const { instrumentFuel, FuelMeter, outOfFuelMessage } = await loadInstrumenter();

const MB = 1024 * 1024;
const BUDGET = 10_000_000_000; // enough for any of these calls: the counts are what we want

/** Synchronous stand-ins for the host functions (no JSPI in Node); the samples use a few. */
function hostStub() {
  const config = new Map();
  const refuse = (name) => () => {
    throw new Error(`${name} is not available in fuel-check`);
  };
  const stub = Object.fromEntries(
    ['searchTracks', 'setTrackLyrics', 'setTrackGenre', 'setTrackMetadata', 'httpGet', 'httpPost', 'emitEvent'].map((name) => [name, refuse(name)]),
  );
  return Object.assign(stub, {
    getConfig: (key) => config.get(key),
    setConfig: (key, value) => void config.set(key, value),
    deleteConfig: (key) => void config.delete(key),
    listUsers: () => [],
    getTrack: (id) => ({ id, title: 'A track', artistName: 'An artist', durationSecs: 180, format: 'flac', playCount: 7n }),
    getUser: (id) => ({ id, username: 'someone', role: 'user', createdAt: '2025-01-01T00:00:00Z' }),
    logInfo: () => {},
    logWarn: () => {},
    logError: () => {},
    getCurrentTimestamp: () => '2025-01-01T00:00:00Z',
    getInstanceInfo: () => ({ name: 'fuel-check', version: '0', domain: 'localhost', trackCount: 0n, userCount: 0n }),
  });
}

async function wasiImports() {
  const cli = await import('@bytecodealliance/preview2-shim/cli');
  const [clocks, filesystem, http, io, random] = await Promise.all(
    ['clocks', 'filesystem', 'http', 'io', 'random'].map((name) => import(`@bytecodealliance/preview2-shim/${name}`)),
  );
  const entries = { 'wasi:filesystem/types': filesystem.types, 'wasi:filesystem/preopens': { getDirectories: () => [] }, 'wasi:http/types': http.types };
  for (const name of [
    'environment',
    'exit',
    'stdin',
    'stdout',
    'stderr',
    'terminal-input',
    'terminal-output',
    'terminal-stdin',
    'terminal-stdout',
    'terminal-stderr',
  ]) {
    entries[`wasi:cli/${name}`] = cli[name.replace(/-(\w)/g, (_, c) => c.toUpperCase())];
  }
  Object.assign(entries, {
    'wasi:clocks/monotonic-clock': clocks.monotonicClock,
    'wasi:clocks/wall-clock': clocks.wallClock,
    'wasi:io/error': io.error,
    'wasi:io/poll': io.poll,
    'wasi:io/streams': io.streams,
    'wasi:random/random': random.random,
    'wasi:random/insecure': random.insecure,
    'wasi:random/insecure-seed': random.insecureSeed,
    'wasi:http/outgoing-handler': http.outgoingHandler,
  });
  return entries;
}

function instrumentAll(dir) {
  const modules = {};
  const rows = [];
  for (const file of readdirSync(dir).filter((name) => /\.core\d*\.wasm$/.test(name))) {
    const bytes = readFileSync(join(dir, file));
    const started = performance.now();
    const out = instrumentFuel(bytes);
    const ms = performance.now() - started;
    modules[file] = out;
    rows.push({
      module: file,
      'KiB before': (bytes.length / 1024).toFixed(1),
      'KiB after': (out.length / 1024).toFixed(1),
      growth: `${((out.length / bytes.length - 1) * 100).toFixed(1)} %`,
      ms: ms.toFixed(1),
      'ms/MB': bytes.length > 100_000 ? (ms / (bytes.length / MB)).toFixed(0) : '',
      'valid before': WebAssembly.validate(bytes),
      'valid after': WebAssembly.validate(out),
    });
  }
  console.table(rows);
  return modules;
}

async function run(dir, name, modules) {
  const bindings = await import(pathToFileURL(join(dir, `${name}.js`)).href);
  const meter = new FuelMeter();
  const imports = { ...(await wasiImports()), 'playground:plugin/host': hostStub() };
  const getCoreModule = (file) => WebAssembly.compile(modules[file]);
  const instantiateCore = (module, moduleImports) => WebAssembly.instantiate(module, { ...moduleImports, ...meter.imports });
  const measure = async (label, budget, call) => {
    meter.start(budget);
    let error;
    try {
      await call();
    } catch (caught) {
      error = caught;
    }
    const { used, exhausted } = meter.finish();
    console.log(`  ${label}: ${exhausted ? outOfFuelMessage(budget) : error ? `threw ${error}` : `${used.toLocaleString('en')} fuel`}`);
    return { used, exhausted, error };
  };
  let exports;
  await measure('instantiate', BUDGET, async () => (exports = await bindings.instantiate(getCoreModule, imports, instantiateCore)));
  const guest = exports['playground:plugin/guest@0.1.0'];
  const event = { tag: 'track-played', val: { trackId: 't1', userId: 'u1', timestamp: '2025-01-01T00:00:00Z' } };
  const results = [];
  for (const label of ['metadata', 'metadata again']) results.push(await measure(label, BUDGET, () => guest.metadata()));
  for (const label of ['on-event', 'on-event again']) results.push(await measure(label, BUDGET, () => guest.onEvent(event)));
  const small = await measure('on-event with a budget of 1,000', 1000, () => guest.onEvent(event));
  const ok = results.every((result) => !result.error) && small.exhausted;
  console.log(`  ${ok ? 'ok' : 'FAILED'}: runs instrumented, and a small budget runs out`);
  return ok;
}

let failed = false;
for (const component of components) {
  const name = basename(component, '.wasm');
  const dir = mkdtempSync(join(tmpdir(), 'fuel-check-'));
  try {
    const jco = spawnSync(join(root, 'node_modules', '.bin', 'jco'), ['transpile', component, '-o', dir, '--instantiation', 'async', '-q'], {
      encoding: 'utf8',
    });
    if (jco.status !== 0) throw new Error(`jco transpile ${component} failed: ${jco.stderr || jco.stdout}`);
    console.log(`${name}:`);
    const modules = instrumentAll(dir);
    if (!(await run(dir, name, modules))) failed = true;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
process.exitCode = failed ? 1 : 0;
