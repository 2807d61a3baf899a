// Builds the benchmark page (bench/index.html) apart from the app: its own root, base and
// output folder. It imports the app's host code directly.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { witWorld } from '../scripts/vite-wit.ts';

const read = (path: string) => JSON.parse(readFileSync(new URL(path, import.meta.url), 'utf8')) as { version: string };

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/bench/',
  // The app's public folder holds the samples; the bench server serves the app's build instead.
  publicDir: false,
  plugins: [witWorld()],
  define: {
    __APP_VERSION__: JSON.stringify(read('../package.json').version),
    __TRANSPILER_VERSION__: JSON.stringify(read('../node_modules/@bytecodealliance/jco-transpile/package.json').version),
  },
  build: {
    outDir: 'dist/page',
    emptyOutDir: true,
    target: 'esnext',
    chunkSizeWarningLimit: 4096,
  },
  worker: {
    format: 'es',
    plugins: () => [witWorld()],
  },
  logLevel: 'warn',
});
