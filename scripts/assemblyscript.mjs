// Builds one AssemblyScript Extism plugin (a SoundTime sample or test plugin) with the
// installed asc and @extism/as-pdk. Used by scripts/build-samples.mjs and by the unit tests,
// which build the samples from source themselves.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import asc from 'assemblyscript/asc';

const root = fileURLToPath(new URL('..', import.meta.url));
const version = (pkg) => JSON.parse(readFileSync(join(root, 'node_modules', pkg, 'package.json'), 'utf8')).version;

/** What the build depends on besides the sources: part of a sample's up-to-date stamp. */
export const assemblyScriptToolchain = `assemblyscript@${version('assemblyscript')} @extism/as-pdk@${version('@extism/as-pdk')} -O2`;

/**
 * Compiles `entry` (relative to `dir`, e.g. `src/index.ts`) into `outFile`. The entry defines
 * `myAbort`, which AssemblyScript's `abort` is routed to, so the module imports only
 * `extism:host/*`. Rejects with asc's diagnostics.
 */
export async function buildAssemblyScript(dir, entry, outFile) {
  const stdout = asc.createMemoryStream();
  const stderr = asc.createMemoryStream();
  const abortAt = `${entry.replace(/\\/g, '/').replace(/\.ts$/, '')}/myAbort`;
  const { error } = await asc.main([entry, '--baseDir', dir, '--outFile', outFile, '--use', `abort=${abortAt}`, '-O2'], { stdout, stderr });
  if (error) throw new Error(`asc ${join(dir, entry)} failed: ${error.message}\n${stderr.toString()}`);
}
