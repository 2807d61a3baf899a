import { readFileSync } from 'node:fs';
import { defineConfig } from 'vite';

const pkg = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8')) as { version: string };
const transpiler = JSON.parse(
  readFileSync(new URL('./node_modules/@bytecodealliance/jco-transpile/package.json', import.meta.url), 'utf8'),
) as { version: string };

export default defineConfig({
  define: {
    __APP_VERSION__: JSON.stringify(pkg.version),
    __TRANSPILER_VERSION__: JSON.stringify(transpiler.version),
  },
  build: {
    target: 'esnext',
    // The transpiler's wasm is ~3.5 MB; it loads in the compile worker only.
    chunkSizeWarningLimit: 4096,
  },
  worker: {
    format: 'es',
  },
  optimizeDeps: {
    // jco's bindings find their wasm with `new URL(..., import.meta.url)`; pre-bundling breaks that.
    exclude: ['@bytecodealliance/jco-transpile'],
  },
  preview: {
    port: 4173,
    strictPort: true,
  },
});
