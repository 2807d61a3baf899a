// The count kept in a local per function (as wasmtime keeps it in a register): written back to
// the shared global before every call and every way out, read again after calls. Each case is
// counted by hand and must match the in-place form (every charge on the global) exactly.
import { describe, expect, it } from 'vitest';
import { print } from '@bytecodealliance/jco-transpile/wasm-tools';
import { FuelMeter, instrumentFuel } from '../../src/compile/fuel/instrument.ts';
import { BUDGET, load, wat } from './fuel-harness.ts';

/** Runs `name(args)` in both forms; both must agree, and the cached one is returned. */
type Imports = (meter: FuelMeter, self: () => WebAssembly.Exports) => WebAssembly.Imports;

async function both(text: string, name: string, args: number[] = [], imports: Imports = () => ({})) {
  const results = [];
  for (const inPlace of [true, false]) {
    const meter = new FuelMeter();
    let exports: WebAssembly.Exports | undefined;
    const loaded = await load(
      text,
      imports(meter, () => exports!),
      meter,
      { inPlace },
    );
    exports = loaded.exports;
    results.push(loaded.call(name, args));
  }
  expect(results[1]).toEqual(results[0]);
  return results[1]!;
}

describe('the count kept in a local', () => {
  it('is a new i64 local after the parameters and locals, written back before a call and read again after it', async () => {
    const text = await print(instrumentFuel(await wat(`(module (func $f) (func (export "g") (param i32) (result i32) (local f64) local.get 0 call $f))`)));
    expect(text).toContain('(local f64 i64)');
    expect(text).toMatch(/local\.get 2\s+i64\.const 2\s+i64\.sub\s+global\.set 0\s+call \$f\s+global\.get 0\s+local\.set 2/);
  });

  it('reaches the global through every way out of a function', async () => {
    const EXITS = `(module
      (func (export "br") (result i32)
        block             ;; 0
          i32.const 5     ;; 1
          br 1            ;; 1   2: a branch to the function's own label is a return
        end
        i32.const 0)
      (func (export "br_if") (param i32) (result i32)
        block             ;; 0
          i32.const 5     ;; 1
          local.get 0     ;; 1
          br_if 1         ;; 1   3 when taken
          drop            ;; 0
        end
        i32.const 6)      ;; 1   4 when not taken
      (func (export "br_table") (param i32) (result i32)
        block (result i32)   ;; 0
          i32.const 5        ;; 1
          local.get 0        ;; 1
          br_table 0 1       ;; 1   3; the default leaves the function
        end
        i32.const 1 i32.add) ;; 2   5 through the block's end
      (func (export "abort") i32.const 1 drop unreachable))   ;; 1`;
    expect(await both(EXITS, 'br')).toMatchObject({ value: 5, used: 2 });
    expect(await both(EXITS, 'br_if', [1])).toMatchObject({ value: 5, used: 3 });
    expect(await both(EXITS, 'br_if', [0])).toMatchObject({ value: 6, used: 4 });
    expect(await both(EXITS, 'br_table', [7])).toMatchObject({ value: 5, used: 3 });
    expect(await both(EXITS, 'br_table', [0])).toMatchObject({ value: 6, used: 5 });
    expect(await both(EXITS, 'abort')).toMatchObject({ used: 1, exhausted: false });
  });

  it('sees what a host call spent, and what a call back into the module spent, after the call returns', async () => {
    const REENTRY = `(module
      (import "env" "host" (func $host (param i32) (result i32)))
      (func (export "inner") (param i32) (result i32)
        local.get 0 i32.const 2 i32.mul)   ;; 3
      (func (export "outer") (param i32) (result i32)
        local.get 0       ;; 1
        call $host        ;; 1   2 before; the host calls inner (3) and takes 10 itself
        i32.const 1       ;; 1
        i32.add))         ;; 1   2 after: 2 + 3 + 10 + 2 = 17`;
    let seen = -1;
    const result = await both(REENTRY, 'outer', [4], (meter, self) => ({
      env: {
        host: (x: number) => {
          seen = BUDGET - Number(meter.global.value);
          const value = (self().inner as (x: number) => number)(x);
          meter.global.value = (meter.global.value as bigint) - 10n; // a host that charges for its own work
          return value;
        },
      },
    }));
    expect(seen).toBe(2);
    expect(result).toMatchObject({ value: 9, used: 17 });
  });

  it('stays on the global in a function with a try, whose handler is entered from a callee', async () => {
    const TRY = `(module
      (tag $e)
      (func $thrower (param i32) local.get 0 drop throw $e)    ;; 2 (drop is free)
      (func (export "catches") (param i32) (result i32)
        try (result i32)      ;; 1
          local.get 0         ;; 1
          call $thrower       ;; 1
          i32.const 0         ;; never runs
        catch $e              ;; 1
          i32.const 9         ;; 1   1 + 1 + 1 + 2 + 1 + 1 = 7
        end))`;
    const text = await print(instrumentFuel(await wat(TRY)));
    const catches = text.slice(text.indexOf('(func (;1;)'));
    expect(catches).not.toContain('(local i64)');
    expect(await both(TRY, 'catches', [1])).toMatchObject({ value: 9, used: 7 });
  });
});

describe('the new local is numbered after the parameters', () => {
  it('however the types are declared: recursion groups, subtypes, structs and arrays', async () => {
    // Node 20 cannot run GC types: check the printed output instead.
    const text = await print(
      instrumentFuel(
        await wat(`(module
          (rec (type $pair (struct (field i32) (field (mut i64)))) (type $list (array (mut i8))))
          (type $base (sub (func (param i32 i64 f32) (result i32))))
          (type $takes (sub final $base (func (param i32 i64 f32) (result i32))))
          (func (export "f") (type $takes) (local f64) local.get 0))`),
      ),
    );
    expect(text).toContain('(local f64 i64)');
    expect(text).toMatch(/global\.get 0\s+local\.tee 4\s/); // 3 parameters and 1 local before it
  });
});
