import { describe, expect, it } from 'vitest';
import { checkCompatibility, PLUGIN_TRANSPILE_OPTIONS, WASI_INTERFACES } from '../../src/shared/contract.ts';
import { HOST_FUNCTIONS } from '../../src/shared/protocol.ts';

const GUEST = ['playground:plugin/guest@0.1.0'];

describe('checkCompatibility', () => {
  it('accepts a plugin that imports the host and the WASI the workers provide', () => {
    const result = checkCompatibility(['playground:plugin/host', 'wasi:cli/stdout', 'wasi:io/streams@0.2.12'], GUEST);
    expect(result).toEqual({ ok: true, unsatisfied: [], exportsGuest: true, message: undefined });
  });

  it('lists every import it cannot satisfy, in order', () => {
    const result = checkCompatibility(['test:flavorful/test', 'wasi:io/streams', 'wasi:sockets/tcp', 'wasi:keyvalue/store@0.2.0'], GUEST);
    expect(result.ok).toBe(false);
    expect(result.unsatisfied).toEqual(['test:flavorful/test', 'wasi:sockets/tcp', 'wasi:keyvalue/store@0.2.0']);
    expect(result.message).toContain('it imports what the playground cannot provide: test:flavorful/test, wasi:sockets/tcp, wasi:keyvalue/store@0.2.0');
  });

  it('refuses a component that does not export the guest interface, saying so', () => {
    const result = checkCompatibility([], ['docs:adder/add@0.1.0']);
    expect(result.ok).toBe(false);
    expect(result.exportsGuest).toBe(false);
    expect(result.message).toBe(
      'This component is not a playground plugin: it does not export playground:plugin/guest@0.1.0 (metadata and on-event). Build it against wit/plugin.wit (world "plugin").',
    );
  });

  it('names both problems when both apply', () => {
    expect(checkCompatibility(['x:y/z'], []).message).toMatch(/cannot provide: x:y\/z; and it does not export/);
  });
});

describe('transpile options', () => {
  it('make every host function a suspending import and both guest functions promising exports', () => {
    expect(PLUGIN_TRANSPILE_OPTIONS.jspiImports).toHaveLength(HOST_FUNCTIONS.length);
    expect(PLUGIN_TRANSPILE_OPTIONS.jspiImports).toContain('playground:plugin/host#get-config');
    expect(PLUGIN_TRANSPILE_OPTIONS.jspiExports).toEqual(['playground:plugin/guest#metadata', 'playground:plugin/guest#on-event']);
  });

  it('offer no WASI interface that reaches sockets', () => {
    expect(WASI_INTERFACES.filter((name) => name.startsWith('wasi:sockets'))).toEqual([]);
  });
});
