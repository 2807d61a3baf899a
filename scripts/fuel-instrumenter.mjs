// Loads the fuel instrumenter (TypeScript) into a Node script: Node 20 cannot import .ts, so
// rolldown (Vite's bundler, already installed) bundles it in memory and it is imported from a
// data: URL. Used by scripts/fuel-check.mjs and scripts/fuel-chromium.mjs.
import { fileURLToPath } from 'node:url';
import { build } from 'rolldown';

const root = fileURLToPath(new URL('..', import.meta.url));

/** @returns {Promise<typeof import('../src/compile/fuel/instrument.ts')>} */
export async function loadInstrumenter() {
  const { output } = await build({ cwd: root, input: 'src/compile/fuel/instrument.ts', output: { format: 'esm' }, write: false });
  return import(`data:text/javascript;base64,${Buffer.from(output[0].code).toString('base64')}`);
}
