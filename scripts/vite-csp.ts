// Delivers the policies of src/shared/csp.ts that need the server: the app page's as its first
// <meta>, and each worker script's as a response header in `vite dev` and `vite preview`. The
// header is set by path, not by request type, so the service worker's precache (which fetches
// the scripts itself, not as workers) stores it and serves it offline.
import type { Connect, Plugin } from 'vite';
import { APP_CSP, workerPolicy } from '../src/shared/csp.ts';

const setWorkerPolicy: Connect.NextHandleFunction = (request, response, next) => {
  const policy = workerPolicy(new URL(request.url ?? '/', 'http://localhost').pathname);
  if (policy) response.setHeader('Content-Security-Policy', policy);
  next();
};

export function contentSecurityPolicy(): Plugin {
  return {
    name: 'playground-csp',
    transformIndexHtml: () => [{ tag: 'meta', attrs: { 'http-equiv': 'Content-Security-Policy', content: APP_CSP }, injectTo: 'head-prepend' }],
    configureServer(server) {
      server.middlewares.use(setWorkerPolicy);
    },
    configurePreviewServer(server) {
      server.middlewares.use(setWorkerPolicy);
    },
  };
}
