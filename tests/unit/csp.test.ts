import { describe, expect, it } from 'vitest';
import { COMPILE_WORKER_CSP, PANEL_CSP, PLUGIN_WORKER_CSP, withPanelPolicy, workerPolicy } from '../../src/shared/csp.ts';

const META = `<meta http-equiv="Content-Security-Policy" content="${PANEL_CSP}">`;

describe('the panel policy', () => {
  it('loads nothing from anywhere, and runs only inline script and style', () => {
    expect(PANEL_CSP).toBe(
      "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data: blob:; font-src data:; form-action 'none'; base-uri 'none'",
    );
  });

  it.each([
    ['after the doctype', '<!doctype html>\n<html><head><script>x</script>', `<!doctype html>${META}\n<html><head><script>x</script>`],
    ['after a doctype in capitals with leading space', '  <!DOCTYPE html><p>hi', `  <!DOCTYPE html>${META}<p>hi`],
    ['first without a doctype', '<script>fetch("x")</script>', `${META}<script>fetch("x")</script>`],
    ['first in a fragment that only looks like a doctype later', '<p>a</p><!doctype html>', `${META}<p>a</p><!doctype html>`],
  ])('goes %s', (_, html, expected) => {
    expect(withPanelPolicy(html)).toBe(expected);
  });
});

describe('worker script policies', () => {
  it.each([
    ['/assets/plugin-worker-D6OhWfvp.js', PLUGIN_WORKER_CSP],
    ['/assets/plugin-worker-a_b-C.js', PLUGIN_WORKER_CSP],
    ['/src/worker/plugin-worker.ts', PLUGIN_WORKER_CSP],
    ['/base/assets/compile-worker-BqIj8gPO.js', COMPILE_WORKER_CSP],
    ['/src/compile/compile-worker.ts', COMPILE_WORKER_CSP],
    ['/assets/editor.worker-CX7Cj20z.js', undefined],
    ['/assets/index-6l9JFrYf.js', undefined],
    ['/assets/plugin-worker-D6OhWfvp.js.map', undefined],
    ['/samples/plugin-worker.wasm', undefined],
  ])('%s gets %s', (path, policy) => {
    expect(workerPolicy(path)).toBe(policy);
  });

  it('lets no worker import a module from another origin', () => {
    for (const policy of [PLUGIN_WORKER_CSP, COMPILE_WORKER_CSP]) expect(policy).toMatch(/^default-src 'none'; script-src 'self' (blob: )?'wasm-unsafe-eval'/);
  });
});
