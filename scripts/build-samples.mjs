// Builds every plugin in a folder (default sample-plugins/) into an output folder (default
// public/samples/) with jco componentize (or, for hand-written WAT, jco parse + embed + new;
// for SoundTime's Extism plugins in AssemblyScript, asc + @extism/as-pdk), and writes
// index.json there for the "Try a sample" buttons. A plugin is rebuilt only when its sources,
// its WIT or the toolchain changed.
//   node scripts/build-samples.mjs [source-dir] [output-dir]
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { assemblyScriptToolchain, buildAssemblyScript } from './assemblyscript.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const samplesDir = join(root, process.argv[2] ?? 'sample-plugins');
const outDir = join(root, process.argv[3] ?? join('public', 'samples'));
const jco = join(root, 'node_modules', '.bin', 'jco');
const jcoVersion = JSON.parse(readFileSync(join(root, 'node_modules/@bytecodealliance/jco/package.json'), 'utf8')).version;
const SOUNDTIME_GROUP = 'SoundTime (Extism)';

function filesUnder(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'dist' ? [] : filesUnder(path);
    return [path];
  });
}

function fingerprint(paths, extra) {
  const hash = createHash('sha256').update(extra);
  for (const path of paths.sort()) hash.update(relative(root, path)).update(readFileSync(path));
  return hash.digest('hex');
}

function run(args) {
  const result = spawnSync(jco, args, { cwd: root, encoding: 'utf8' });
  if (result.status !== 0) {
    process.stderr.write(result.stdout + result.stderr);
    throw new Error(`jco ${args.join(' ')} failed with exit code ${result.status}`);
  }
}

/** A core module in WAT, written against the world's canonical ABI, wrapped into a component. */
function buildWat(source, wit, world, output) {
  const work = mkdtempSync(join(tmpdir(), 'wat-plugin-'));
  try {
    run(['parse', source, '-o', join(work, 'core.wasm')]);
    run(['embed', join(work, 'core.wasm'), '--wit', wit, '--world-name', world, '-o', join(work, 'embedded.wasm')]);
    run(['new', join(work, 'embedded.wasm'), '-o', output]);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

mkdirSync(outDir, { recursive: true });

// Guest typings for the TypeScript samples (and for plugin authors reading them).
const typesDir = join(root, 'sample-plugins', 'types');
if (!existsSync(join(typesDir, 'plugin.d.ts'))) {
  run(['guest-types', 'wit', '--world-name', 'plugin', '-o', typesDir, '-q']);
}

const index = [];
for (const name of readdirSync(samplesDir).sort()) {
  const dir = join(samplesDir, name);
  const specPath = join(dir, 'sample.json');
  if (!statSync(dir).isDirectory() || !existsSync(specPath)) continue;
  const spec = JSON.parse(readFileSync(specPath, 'utf8'));
  const wasmName = `${name}.wasm`;
  const wasmPath = join(outDir, wasmName);
  const stampPath = join(outDir, `${name}.stamp`);
  // An Extism core module has no WIT; a component builds against its world.
  const extism = spec.engine === 'assemblyscript';
  const wit = join(root, spec.wit ?? 'wit');
  if (!extism && !existsSync(wit)) {
    // The Hydrust sample builds against the genuine WIT kept beside the repository.
    console.log(`sample ${name}: skipped, its WIT ${relative(root, wit)} is not here`);
    continue;
  }
  const stamp = extism ? fingerprint(filesUnder(dir), assemblyScriptToolchain) : fingerprint([...filesUnder(dir), ...filesUnder(wit)], `jco@${jcoVersion}`);

  if (existsSync(wasmPath) && existsSync(stampPath) && readFileSync(stampPath, 'utf8') === stamp) {
    console.log(`sample ${name}: up to date`);
  } else {
    const started = Date.now();
    if (extism) {
      await buildAssemblyScript(dir, spec.entry ?? 'src/index.ts', wasmPath);
    } else if (spec.engine === 'wat') {
      buildWat(join(dir, spec.entry), wit, spec.world ?? 'plugin', wasmPath);
    } else {
      const args = ['componentize', join(dir, spec.entry), '--wit', wit, '--world-name', spec.world ?? 'plugin', '-o', wasmPath];
      if (spec.engine === 'qjs') args.push('--backend', 'qjs');
      run(args);
    }
    writeFileSync(stampPath, stamp);
    console.log(`sample ${name}: built with ${spec.engine} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }

  const manifestPath = join(dir, 'plugin.toml');
  if (existsSync(manifestPath)) copyFileSync(manifestPath, join(outDir, `${name}.plugin.toml`));
  // A UI panel ships beside the component, uploaded with it under its own file name.
  const uiDir = join(dir, 'ui');
  const ui = existsSync(uiDir) ? readdirSync(uiDir).filter((file) => file.endsWith('.html')) : [];
  for (const file of ui) copyFileSync(join(uiDir, file), join(outDir, `${name}.ui.${file}`));
  index.push({
    name,
    label: spec.label,
    summary: spec.summary,
    engine: spec.engine,
    misbehaving: spec.misbehaving ?? false,
    // Which row of buttons it joins on the page.
    group: extism ? SOUNDTIME_GROUP : spec.misbehaving ? 'Misbehaving' : 'Samples',
    wasm: `samples/${wasmName}`,
    manifest: existsSync(manifestPath) ? `samples/${name}.plugin.toml` : undefined,
    ui: ui.map((file) => ({ name: file, url: `samples/${name}.ui.${file}` })),
    size: statSync(wasmPath).size,
  });
}
writeFileSync(join(outDir, 'index.json'), JSON.stringify(index, null, 2) + '\n');
console.log(`${index.length} sample plugins in ${relative(root, outDir)}`);
