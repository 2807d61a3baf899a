import { describe, expect, it } from 'vitest';
import { capabilities, capabilityNotice } from '../../src/shared/capabilities.ts';

describe('capabilities', () => {
  it('finds JSPI where WebAssembly has Suspending and promising', () => {
    const scope = { WebAssembly: { Suspending: function () {}, promising: () => {} } };
    expect(capabilities(scope).jspi).toBe(true);
    expect(capabilityNotice(capabilities(scope))).toBeUndefined();
  });

  it('says what is missing and which browsers work when JSPI is absent (Node 20 has none)', () => {
    const found = capabilities({ WebAssembly: {} });
    expect(found.jspi).toBe(false);
    expect(capabilityNotice(found)).toMatch(/WebAssembly\.Suspending.*Chrome, Edge or another Chromium-based browser, version 137/);
  });
});
