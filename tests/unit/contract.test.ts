import { describe, expect, it } from 'vitest';
import { checkCompatibility, PLUGIN_TRANSPILE_OPTIONS, WASI_INTERFACES, worldItems } from '../../src/shared/contract.ts';
import { HOST_FUNCTIONS } from '../../src/shared/protocol.ts';

const world = (...lines: string[]) => `package root:component;\n\nworld root {\n${lines.map((l) => `  ${l}`).join('\n')}\n}\n`;

// As `componentWit` prints a QuickJS-built playground plugin.
const PLUGIN = world(
  'import wasi:cli/stdout@0.2.12;',
  'import wasi:io/streams@0.2.12;',
  'import playground:plugin/types@0.1.0;',
  'import playground:plugin/host@0.1.0;',
  'export init: func(shim: string, script: string, entry-path: option<string>, disable-gc: bool) -> result<_, string>;',
  'export playground:plugin/guest@0.1.0;',
);

const HYDRUST = world(
  'import hydrust:protocol/metadata@0.1.1;',
  'import hydrust:protocol/types@0.1.1;',
  'import hydrust:protocol/events@0.1.1;',
  'import wasi:io/poll@0.2.8;',
  'import wasi:clocks/wall-clock@0.2.8;',
  'use hydrust:protocol/events@0.1.1.{event};',
  'import publish: func(ev: event);',
  'export get-info: func() -> plugin-info;',
  'export on-event: func(ev: event);',
);

describe('worldItems', () => {
  it('reads interface and function imports and exports with versions', () => {
    expect(worldItems(HYDRUST).map((i) => `${i.direction} ${i.kind} ${i.name}`)).toEqual([
      'import interface hydrust:protocol/metadata@0.1.1',
      'import interface hydrust:protocol/types@0.1.1',
      'import interface hydrust:protocol/events@0.1.1',
      'import interface wasi:io/poll@0.2.8',
      'import interface wasi:clocks/wall-clock@0.2.8',
      'import function publish',
      'export function get-info',
      'export function on-event',
    ]);
  });

  it('ignores the interfaces printed after the world', () => {
    expect(
      worldItems(`${world('export docs:adder/add@0.1.0;')}\npackage docs:adder@0.1.0 {\n  interface add {\n    add: func(x: u32) -> u32;\n  }\n}`),
    ).toHaveLength(1);
  });
});

describe('checkCompatibility', () => {
  it('accepts a playground plugin, extra exports included', () => {
    expect(checkCompatibility(PLUGIN)).toEqual({ ok: true, profile: 'playground', unsatisfied: [], missing: [], message: undefined });
  });

  it('accepts a genuine Hydrust site-provider', () => {
    expect(checkCompatibility(HYDRUST)).toMatchObject({ ok: true, profile: 'hydrust' });
  });

  it('lists every import it cannot satisfy, in order', () => {
    const result = checkCompatibility(
      world(
        'import test:flavorful/test;',
        'import wasi:io/streams@0.2.0;',
        'import wasi:sockets/tcp@0.2.0;',
        'import wasi:keyvalue/store@0.2.0;',
        'export playground:plugin/guest@0.1.0;',
      ),
    );
    expect(result.unsatisfied).toEqual(['test:flavorful/test', 'wasi:sockets/tcp@0.2.0', 'wasi:keyvalue/store@0.2.0']);
    expect(result.message).toContain('it imports what the playground cannot provide: test:flavorful/test, wasi:sockets/tcp@0.2.0, wasi:keyvalue/store@0.2.0');
  });

  it('refuses a host interface of another version, saying which one it has', () => {
    const result = checkCompatibility(PLUGIN.replace('host@0.1.0', 'host@0.2.0'));
    expect(result.unsatisfied).toEqual(['playground:plugin/host@0.2.0 (the playground provides playground:plugin/host@0.1.x)']);
  });

  it('refuses WASI 0.3 interfaces', () => {
    expect(checkCompatibility(PLUGIN.replace('wasi:cli/stdout@0.2.12', 'wasi:cli/stdout@0.3.0')).unsatisfied).toEqual([
      'wasi:cli/stdout@0.3.0 (the playground provides wasi:cli/stdout@0.2.x)',
    ]);
  });

  it('names the missing export of a playground plugin', () => {
    const result = checkCompatibility(world('import playground:plugin/host@0.1.0;'));
    expect(result.missing).toEqual(['playground:plugin/guest@0.1.0 (metadata and on-event)']);
    expect(result.message).toBe(
      'This component is not a playground plugin: it does not export playground:plugin/guest@0.1.0 (metadata and on-event). Build it against wit/plugin.wit (world "plugin") or Hydrust\'s site-provider world.',
    );
  });

  it('names the missing function of a Hydrust provider', () => {
    expect(checkCompatibility(HYDRUST.replace('export on-event: func(ev: event);', '')).missing).toEqual(['on-event: func(ev: event)']);
  });

  it('refuses a component of neither world, naming both options', () => {
    const result = checkCompatibility(world('export docs:adder/add@0.1.0;'));
    expect(result.ok).toBe(false);
    expect(result.profile).toBeUndefined();
    expect(result.missing).toEqual(["playground:plugin/guest@0.1.0 (metadata and on-event), or Hydrust's get-info and on-event"]);
  });

  it('refuses a function import the profile does not provide', () => {
    expect(checkCompatibility(PLUGIN.replace('import wasi:cli/stdout@0.2.12;', 'import shout: func(s: string);')).unsatisfied).toEqual(['shout (a function)']);
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
