import { describe, expect, it } from 'vitest';
import { componentWit, parse } from '@bytecodealliance/jco-transpile/wasm-tools';
import { restoreNames } from '../../src/shared/wit/display.ts';
import { itemFunctions, signature, witText } from '../../src/shared/wit/model.ts';
import { parseWorld, WitSyntaxError } from '../../src/shared/wit/parse.ts';
import { ComponentFormatError, renameInterfaces } from '../../src/shared/wit/rename.ts';

/** A component importing `a:types/defs` (a record and an enum) and `a:calc/ops@1.2.0`, which uses them, and exporting ops again plus a root function. */
const COMPONENT = `(component
  (type (instance
    (type (record (field "x" s64) (field "label" string)))
    (export "point" (type (eq 0)))
    (type (enum "up" "down"))
    (export "dir" (type (eq 2)))))
  (import "a:types/defs" (instance (;0;) (type 0)))
  (alias export 0 "point" (type (;1;)))
  (alias export 0 "dir" (type (;2;)))
  (type (instance
    (alias outer 1 1 (type))
    (export "point" (type (eq 0)))
    (alias outer 1 2 (type))
    (export "dir" (type (eq 2)))
    (type (list 1))
    (type (option 4))
    (type (result 5 (error string)))
    (type (func (param "points" 4) (param "d" 3) (result 6)))
    (export "walk" (func (type 7)))))
  (import "a:calc/ops@1.2.0" (instance (;1;) (type 3)))
  (type (func (param "flag" bool) (result (tuple u8 char))))
  (import "hello" (func (;0;) (type 5)))
)`;

async function decoded() {
  const renamed = renameInterfaces(await parse(COMPONENT));
  const printed = await componentWit(renamed.bytes);
  return { renamed, printed, world: parseWorld(printed, renamed.names) };
}

describe('renaming interfaces into the root package', () => {
  it('maps each interface to a printed name and back', async () => {
    const { renamed, printed } = await decoded();
    expect(renamed.names).toEqual({ 'pp0-defs': 'a:types/defs', 'pp1-ops': 'a:calc/ops@1.2.0' });
    // The printer now writes the interfaces' contents, not only their names.
    expect(printed).toContain('interface pp1-ops {');
    expect(printed).toContain('use pp0-defs.{point, dir};');
  });

  it('leaves a component without interfaces unchanged', async () => {
    const bytes = await parse('(component (type (func (result u32))) (import "plain" (func (type 0))))');
    expect(renameInterfaces(bytes)).toEqual({ bytes, names: {} });
  });

  it('refuses what is not a component', () => {
    expect(() => renameInterfaces(Uint8Array.from([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]))).toThrow(ComponentFormatError);
  });
});

describe('the full WIT shown to the user', () => {
  it('uses the component’s own names, with each foreign package nested in full', async () => {
    const { renamed, printed } = await decoded();
    const wit = restoreNames(printed, renamed.names);
    expect(wit).toContain('import a:types/defs;');
    expect(wit).toContain('import a:calc/ops@1.2.0;');
    expect(wit).toContain('import hello: func(flag: bool) -> tuple<u8, char>;');
    expect(wit).toContain('package a:types {\n  interface defs {');
    expect(wit).toContain('package a:calc@1.2.0 {\n  interface ops {\n    use a:types/defs.{point, dir};');
    expect(wit).toContain('walk: func(points: list<point>, d: dir) -> result<option<list<point>>, string>;');
    expect(wit).not.toContain('pp0-');
  });
});

describe('parsing a world into the type model', () => {
  it('resolves types through `use` and keeps typedef names', async () => {
    const { world } = await decoded();
    expect(world.imports.map((item) => (item.kind === 'interface' ? item.iface.name : item.fn.name))).toEqual(['a:types/defs', 'a:calc/ops@1.2.0', 'hello']);
    const [walk] = itemFunctions(world.imports[1]!);
    expect(walk!.key).toBe('a:calc/ops@1.2.0#walk');
    expect(walk!.iface!.key).toBe('a:calc/ops');
    const point = {
      name: 'point',
      kind: 'record',
      fields: [
        { name: 'x', type: { kind: 's64' } },
        { name: 'label', type: { kind: 'string' } },
      ],
    };
    expect(walk!.fn.params).toEqual([
      { name: 'points', type: { kind: 'list', element: point } },
      { name: 'd', type: { name: 'dir', kind: 'enum', cases: ['up', 'down'] } },
    ]);
    expect(walk!.fn.result).toEqual({ kind: 'result', ok: { kind: 'option', inner: { kind: 'list', element: point } }, err: { kind: 'string' } });
    expect(signature(walk!.fn)).toBe('walk: func(points: list<point>, d: dir) -> result<option<list<point>>, string>');
  });

  it('reads resources, flags, variants, gates and comments', () => {
    const world = parseWorld(
      `package root:component;

interface pp0-store {
  /// A key-value store.
  @since(version = 0.2.0)
  resource bucket {
    constructor(name: string);
    get: func(key: string) -> option<list<u8>>;
    open: static func(name: string) -> result<bucket, error>;
  }
  flags mode { read, write }
  variant error { missing(string), denied, %type }
  check: func(b: borrow<bucket>, m: mode) -> error;
}

world root {
  export pp0-store;
  export run: async func();
}`,
      { 'pp0-store': 'x:kv/store@0.1.0' },
    );
    const [iface] = world.exports;
    expect(iface!.kind === 'interface' && iface!.iface.resources).toEqual(['bucket']);
    const fns = itemFunctions(iface!);
    expect(fns.map((f) => f.key)).toEqual([
      'x:kv/store@0.1.0#[constructor]bucket',
      'x:kv/store@0.1.0#[method]bucket.get',
      'x:kv/store@0.1.0#[static]bucket.open',
      'x:kv/store@0.1.0#check',
    ]);
    expect(fns[0]!.fn).toMatchObject({ params: [{ name: 'name' }], result: { kind: 'own', resource: 'bucket' }, resource: { role: 'constructor' } });
    expect(fns[1]!.fn.params[0]).toEqual({ name: 'self', type: { kind: 'borrow', resource: 'bucket' } });
    expect(witText(fns[2]!.fn.result!)).toBe('result<bucket, error>');
    expect(fns[3]!.fn.params[1]!.type).toEqual({ name: 'mode', kind: 'flags', flags: ['read', 'write'] });
    expect(fns[3]!.fn.result).toEqual({
      name: 'error',
      kind: 'variant',
      cases: [{ name: 'missing', type: { kind: 'string' } }, { name: 'denied' }, { name: 'type' }],
    });
    expect(world.exports[1]).toEqual({ kind: 'function', fn: { name: 'run', params: [], async: true } });
  });

  it('marks async types it cannot pass and says where the text is wrong', () => {
    const world = parseWorld('world w { export f: func(s: stream<u8>) -> future; }');
    expect(world.exports[0]).toMatchObject({
      fn: { params: [{ type: { kind: 'unsupported', text: 'stream<…>' } }], result: { kind: 'unsupported', text: 'future' } },
    });
    expect(() => parseWorld('world w { export f: func(; }')).toThrow(new WitSyntaxError('expected a name but found ";"'));
    expect(() => parseWorld('interface i {}')).toThrow('the WIT text has no world');
  });
});
