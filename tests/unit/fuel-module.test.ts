// What fuel instrumentation leaves alone (imports, exports, data, names), exceptions, and what
// it refuses. Counts are worked out by hand as in fuel.test.ts.
import { describe, expect, it } from 'vitest';
import { print } from '@bytecodealliance/jco-transpile/wasm-tools';
import { FUEL_COUNTER_EXPORT, FUEL_IMPORT_MODULE, FUEL_IMPORT_NAME, FuelError, FuelMeter, instrumentFuel } from '../../src/compile/fuel/instrument.ts';
import { fuelCounterModule } from '../../src/shared/fuel.ts';
import { instrument, load, wat } from './fuel-harness.ts';

const LAYOUT = `(module
  (import "env" "memory" (memory 1))
  (import "env" "log" (func $log (param i32)))
  (import "env" "base" (global $base i32))
  (import "env" "table" (table 1 funcref))
  (import "env" "tick" (func $tick))
  (global $g (mut i32) (global.get $base))
  (table $own 4 funcref)
  (elem (table $own) (global.get $base) func $get)
  (data (memory 0) (global.get $base) "fuel")
  (func $get (export "get") (result i32) global.get $g)
  (export "g" (global $g))
  (export "first" (func $tick))
  (export "own" (table $own))
  (@custom "kept" "as it was"))`;

const TRY_TABLE = `(module
  (tag $e (param i32))
  (func $thrower (param i32) local.get 0 throw $e)   ;; 2
  (func (export "catches") (param i32) (result i32)
    block $handler (result i32)
      try_table (result i32) (catch $e $handler)    ;; 1
        local.get 0                                  ;; 1
        call $thrower                                ;; 1   3 before the call, 2 inside
        i32.const 0                                  ;; 1   never runs
      end
      return
    end
    i32.const 1 i32.add))                            ;; 2   after the catch: 3 + 2 + 2 = 7`;
// Node 20's V8 predates exnref; Chromium runs it (scripts/fuel-chromium.mjs).
const exnref = WebAssembly.validate(await wat(TRY_TABLE));

describe('instrumentFuel keeps the module', () => {
  it('appends one import and leaves the others, the exports, data and custom sections in order', async () => {
    const input = new WebAssembly.Module(await wat(LAYOUT));
    const output = new WebAssembly.Module(await instrument(LAYOUT));
    expect(WebAssembly.Module.imports(output)).toEqual([
      ...WebAssembly.Module.imports(input),
      { module: FUEL_IMPORT_MODULE, name: FUEL_IMPORT_NAME, kind: 'global' },
    ]);
    expect(WebAssembly.Module.exports(output)).toEqual(WebAssembly.Module.exports(input));
    expect(WebAssembly.Module.customSections(output, 'kept')).toEqual(WebAssembly.Module.customSections(input, 'kept'));
  });

  it('renumbers the defined globals behind the new import, in code, exports and names', async () => {
    const memory = new WebAssembly.Memory({ initial: 1 });
    const env = { memory, log: () => {}, base: 3, table: new WebAssembly.Table({ initial: 1, element: 'anyfunc' }), tick: () => {} };
    const { call, exports } = await load(LAYOUT, { env });
    expect(call('get')).toMatchObject({ value: 3, used: 1 }); // global.get: 1
    expect((exports.g as WebAssembly.Global).value).toBe(3);
    expect(new TextDecoder().decode(new Uint8Array(memory.buffer, 3, 4))).toBe('fuel');
    expect(((exports.own as WebAssembly.Table).get(3) as () => number)()).toBe(3);
    const text = await print(await instrument(LAYOUT));
    expect(text).toContain('(import "playground:fuel" "remaining" (global (;1;) (mut i64)))');
    expect(text).toContain('(global $g (;2;) (mut i32) global.get $base)');
  });

  it('drops label names, which the inserted checks would shift', async () => {
    const text = await print(await instrument('(module (func (block $outer (loop $inner (br_if $inner (i32.const 0))))))'));
    expect(text).not.toMatch(/\$outer|\$inner/);
  });

  it('is deterministic', async () => {
    const input = await wat(LAYOUT);
    expect(instrumentFuel(input)).toEqual(instrumentFuel(input));
  });
});

describe('a counter a runtime links from a module (Extism)', () => {
  const link = async (text: string, initial: number) => {
    const counter = await WebAssembly.instantiate(fuelCounterModule(initial));
    const { instance } = await WebAssembly.instantiate(instrumentFuel(await wat(text), { exportCounter: true }), {
      [FUEL_IMPORT_MODULE]: counter.instance.exports,
    });
    return instance;
  };

  it('is exported after the exports of the module, and counts through the linked global', async () => {
    const text = '(module (func (export "one") (result i32) i32.const 1) (func (export "spin") (loop (br 0))))';
    const instance = await link(text, 2 ** 40 + 5);
    expect(WebAssembly.Module.exports(new WebAssembly.Module(instrumentFuel(await wat(text), { exportCounter: true })))).toEqual([
      { name: 'one', kind: 'function' },
      { name: 'spin', kind: 'function' },
      { name: FUEL_COUNTER_EXPORT, kind: 'global' },
    ]);
    const meter = new FuelMeter(instance.exports[FUEL_COUNTER_EXPORT] as WebAssembly.Global);
    expect(meter.global.value).toBe(2n ** 40n + 5n); // the counter module's initial value: the start's budget
    meter.start(10);
    expect((instance.exports.one as () => number)()).toBe(1);
    expect(meter.finish()).toEqual({ used: 1, exhausted: false });
    meter.start(100);
    expect(() => (instance.exports.spin as () => void)()).toThrow(WebAssembly.RuntimeError);
    expect(meter.finish()).toEqual({ used: 100, exhausted: true });
  });

  it('gets an export section of its own where the module has none, and a start function runs counted', async () => {
    const instance = await link('(module (global $g (mut i32) (i32.const 0)) (func $init (global.set $g (i32.const 1))) (start $init) (elem func $init))', 50);
    expect((instance.exports[FUEL_COUNTER_EXPORT] as WebAssembly.Global).value).toBe(48n); // i32.const, global.set
    await expect(link('(module (func $init (loop (br 0))) (start $init))', 50)).rejects.toThrow(WebAssembly.RuntimeError);
  });
});

describe('instructions with immediates of their own', () => {
  it('counts SIMD, bulk memory and atomics one each', async () => {
    const { call } = await load(`(module (memory 1 1 shared)
      (func (export "mix") (result i32)
        i32.const 0 i32.const 7 i32.const 16 memory.fill         ;; 4
        i32.const 32 i32.const 0 i32.const 16 memory.copy        ;; 4
        i32.const 32 i32.const 1 i32.atomic.rmw.add drop         ;; 3
        v128.const i32x4 1 2 3 4 v128.const i32x4 10 20 30 40    ;; 2
        i8x16.shuffle 0 1 2 3 20 21 22 23 8 9 10 11 12 13 14 15  ;; 1
        i32x4.extract_lane 1                                     ;; 1   20
        i32.const 32 i32.load                                    ;; 2   0x07070708
        i32.add))                                                ;; 1   18 in all`);
    expect(call('mix')).toMatchObject({ value: 20 + 0x07070708, used: 18 });
  });

  it('reads memory64 offsets past 32 bits', async () => {
    // Node 20 cannot run memory64: check the printed output instead.
    const text = await print(instrumentFuel(await wat('(module (memory i64 1) (func (export "f") (result i32) i64.const 0 i32.load offset=4294967296))')));
    expect(text).toMatch(/i64\.const 0\s+i32\.load offset=4294967296\s+local\.get 0\s+i64\.const 2\s+i64\.sub\s+global\.set 0\s+\)/);
  });
});

describe('exceptions', () => {
  it('counts a legacy try/catch: the catch is charged in the handler', async () => {
    const { call } = await load(`(module
      (tag $e (param i32))
      (func $thrower (param i32) local.get 0 throw $e)   ;; 2
      (func (export "catches") (param i32) (result i32)
        try (result i32)      ;; 1
          local.get 0         ;; 1
          call $thrower       ;; 1   3 before the call, 2 inside
          i32.const 0         ;; 1   never runs: the callee always throws
        catch $e              ;; 1
          i32.const 1 i32.add ;; 2   3 in the handler: 3 + 2 + 3 = 8
        end))`);
    expect(call('catches', [4])).toMatchObject({ value: 5, used: 8 });
  });

  it('instruments try_table', async () => {
    const text = await print(instrumentFuel(await wat(TRY_TABLE)));
    expect(text).toContain('try_table (result i32) (catch $e 0 (;@1;))');
  });

  it.runIf(exnref)('counts try_table', async () => {
    const { call } = await load(TRY_TABLE);
    expect(call('catches', [4])).toMatchObject({ value: 5, used: 7 });
  });
});

describe('instrumentFuel refuses', () => {
  const HEADER = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
  const refuses = (bytes: Uint8Array, message: RegExp) =>
    expect(() => instrumentFuel(bytes)).toThrow(expect.objectContaining({ name: 'FuelError', message: expect.stringMatching(message) }));

  it('a module it instrumented already', async () => {
    refuses(await instrument('(module (func (export "f")))'), /^fuel: the module already imports playground:fuel\.remaining; it is instrumented already\.$/);
  });

  it('a component, and what is not WebAssembly', () => {
    refuses(Uint8Array.from([0x00, 0x61, 0x73, 0x6d, 0x0d, 0x00, 0x01, 0x00]), /only core modules.*(jco transpile)/);
    refuses(new TextEncoder().encode('<!doctype html>'), /not a WebAssembly module/);
  });

  it('a truncated module', async () => {
    const bytes = await wat('(module (func (export "f") (result i32) i32.const 1))');
    refuses(bytes.subarray(0, bytes.length - 3), /ends early|malformed/);
  });

  it('an instruction it does not know, naming it', () => {
    // type () -> (); one function; its body: no locals, 0xe0 (stack switching's cont.new), end.
    const bytes = Uint8Array.from([...HEADER, 1, 4, 1, 0x60, 0, 0, 3, 2, 1, 0, 10, 6, 1, 4, 0, 0xe0, 0, 0x0b]);
    refuses(bytes, /^fuel: cannot instrument the instruction 0xe0 at byte 23;/);
    expect(new FuelError('x')).toBeInstanceOf(Error);
  });
});
