// Content types for the small static servers of the scripts (the bench page, the headless
// plugin runner): what the production build and the sample plugins contain.
export const CONTENT_TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ttf': 'font/ttf',
  '.toml': 'text/plain; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
};
