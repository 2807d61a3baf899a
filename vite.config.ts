import { readFileSync } from 'node:fs';
import { defineConfig } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';
import { contentSecurityPolicy } from './scripts/vite-csp.ts';
import { witWorld } from './scripts/vite-wit.ts';

const pkg = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8')) as { version: string };
const transpiler = JSON.parse(readFileSync(new URL('./node_modules/@bytecodealliance/jco-transpile/package.json', import.meta.url), 'utf8')) as {
  version: string;
};

export default defineConfig({
  plugins: [
    contentSecurityPolicy(),
    witWorld(),
    VitePWA({
      // The page asks before it reloads into a new version (src/ui/app-updates.ts).
      registerType: 'prompt',
      injectRegister: false,
      includeAssets: ['icon.svg'],
      manifest: {
        name: 'Plugin Playground',
        short_name: 'Playground',
        description: 'Run WebAssembly component plugins in your browser and watch every call they make.',
        theme_color: '#4f46e5',
        background_color: '#f7f7f9',
        display: 'standalone',
        start_url: '.',
        scope: '.',
        icons: [
          { src: 'icon-192.png', sizes: '192x192', type: 'image/png' },
          { src: 'icon-512.png', sizes: '512x512', type: 'image/png' },
          { src: 'icon-maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
          { src: 'icon.svg', sizes: 'any', type: 'image/svg+xml' },
        ],
      },
      workbox: {
        // The app shell, the transpiler's wasm, Monaco and its worker, and the sample plugins:
        // after the first visit everything a session needs comes from the cache.
        globPatterns: ['**/*.{js,css,html,wasm,svg,png,json,toml,webmanifest}'],
        // StarlingMonkey samples are ~12 MB each.
        maximumFileSizeToCacheInBytes: 32 * 1024 * 1024,
        // The first visit is controlled at once, so it works offline without a second load.
        clientsClaim: true,
        navigateFallback: 'index.html',
        cleanupOutdatedCaches: true,
      },
    }),
  ],
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
    plugins: () => [witWorld()],
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
