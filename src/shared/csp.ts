// Every Content-Security-Policy of the playground, and how each one is delivered:
// - a plugin's UI panel: twice, as a <meta> first in its document and as the iframe's `csp`
//   attribute (Chromium enforces that one on a srcdoc document too), so a panel that drops or
//   outwits one still has the other;
// - the app page: a <meta> that says no frame may load a document (scripts/vite-csp.ts);
// - the two worker scripts: a response header (scripts/vite-csp.ts for `vite dev` and `vite
//   preview`; a static host must send it itself). A worker takes its policy from its own
//   script's response, never from the page that starts it.

/** A panel runs its own inline script and style and shows images and fonts it makes itself; it loads nothing. */
export const PANEL_CSP = [
  "default-src 'none'",
  "script-src 'unsafe-inline'",
  "style-src 'unsafe-inline'",
  'img-src data: blob:',
  'font-src data:',
  "form-action 'none'",
  "base-uri 'none'",
].join('; ');

/**
 * The app page's frames load no document from anywhere (srcdoc panels are not fetched, so they
 * still load). Chromium checks a frame's navigation against its parent's frame-src before it
 * sends the request, so a panel that navigates itself to a remote URL sends nothing there.
 */
export const APP_CSP = "frame-src 'none'";

/** The plugin worker: the app's own scripts, the transpiled bindings (a blob: module) and wasm; no remote modules, no connections. */
export const PLUGIN_WORKER_CSP = "default-src 'none'; script-src 'self' blob: 'wasm-unsafe-eval'";

/** The compile worker: the app's own scripts, and jco's wasm fetched from the app's own origin. */
export const COMPILE_WORKER_CSP = "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; connect-src 'self'";

// Built: /assets/plugin-worker-<hash>.js; `vite dev`: /src/worker/plugin-worker.ts.
const WORKER_SCRIPT = /\/(plugin|compile)-worker(?:-[\w-]+)?\.[jt]s$/;

/** The policy a worker script at `pathname` is served with, if it is one of ours. */
export function workerPolicy(pathname: string): string | undefined {
  const match = WORKER_SCRIPT.exec(pathname);
  if (!match) return undefined;
  return match[1] === 'plugin' ? PLUGIN_WORKER_CSP : COMPILE_WORKER_CSP;
}

/**
 * A panel's HTML with the panel policy as its first element. A leading doctype stays in front:
 * anything before it would put the page in quirks mode. A policy applies only to what follows
 * it, so nothing of the plugin's comes before it.
 */
export function withPanelPolicy(html: string): string {
  const doctype = /^\s*<!doctype[^>]*>/i.exec(html)?.[0] ?? '';
  return `${doctype}<meta http-equiv="Content-Security-Policy" content="${PANEL_CSP}">${html.slice(doctype.length)}`;
}
