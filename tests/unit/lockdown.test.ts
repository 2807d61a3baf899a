import { describe, expect, it } from 'vitest';
import { BLOCKED_GLOBALS, BLOCKED_NAVIGATOR, lockDown } from '../../src/worker/lockdown.ts';

// A stand-in for a worker global: members on the object and on its prototypes, as in Chromium.
function workerLike() {
  const navigatorProto = Object.fromEntries(BLOCKED_NAVIGATOR.map((name) => [name, { name }]));
  Object.defineProperty(navigatorProto, 'hardwareConcurrency', { get: () => 2, configurable: true });
  const navigator = Object.create(navigatorProto) as Record<string, unknown>;
  const proto = { fetch: () => 'fetched', indexedDB: {}, fonts: {} };
  const scope = Object.assign(Object.create(proto) as Record<string, unknown>, { navigator, WebSocket: class {}, FontFace: class {} });
  return { scope, navigator };
}

describe('lockDown', () => {
  it('leaves every blocked global undefined, and it cannot come back', () => {
    const { scope } = workerLike();
    lockDown(scope);
    for (const name of BLOCKED_GLOBALS) {
      expect(scope[name], name).toBeUndefined();
      expect(() => Object.defineProperty(scope, name, { value: 1 }), name).toThrow(TypeError);
    }
  });

  it("removes the navigator's storage, locks, GPU and device members, and keeps the rest", () => {
    const { scope, navigator } = workerLike();
    lockDown(scope);
    for (const name of BLOCKED_NAVIGATOR) {
      expect(navigator[name], name).toBeUndefined();
      expect(Object.getPrototypeOf(navigator)[name], name).toBeUndefined();
    }
    expect(navigator.hardwareConcurrency).toBe(2);
  });
});
