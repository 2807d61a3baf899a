// Exact fuel counts for hand-written WAT. Next to each case, the count worked out by hand with
// wasmtime's default costs: every operator 1, except nop, drop, block, loop, unreachable,
// return, else, end (0). `used` is budget − remaining read from the shared global.
import { describe, expect, it } from 'vitest';
import { FUEL_EXHAUSTED, FuelMeter, outOfFuelMessage } from '../../src/compile/fuel/instrument.ts';
import { BUDGET, load } from './fuel-harness.ts';

const COUNT = `(module
  (func (export "count") (param $n i32) (result i32) (local $i i32)
    block $done             ;; 0
      loop $next            ;; 0, checked here on entry and on every br back
        local.get $i        ;; 1
        local.get $n        ;; 1
        i32.ge_u            ;; 1
        br_if $done         ;; 1   4 per pass through the header
        local.get $i        ;; 1
        i32.const 1         ;; 1
        i32.add             ;; 1
        local.set $i        ;; 1
        br $next            ;; 1   5 more per completed iteration
      end
    end
    local.get $i))          ;; 1   n iterations: 9n + 4 + 1`;

describe('instrumentFuel counts', () => {
  it('counts straight-line code, with nop and drop free', async () => {
    const { call } = await load(`(module (func (export "f") (param i32) (result i32)
      local.get 0 i32.const 2 i32.mul   ;; 3
      i32.const 3 i32.add               ;; 2
      nop                               ;; 0
      i32.const 7 drop))                ;; 1 + 0   = 6`);
    expect(call('f', [4])).toMatchObject({ value: 11, used: 6, exhausted: false });
  });

  it('counts a loop per iteration: 9n + 5', async () => {
    const { call } = await load(COUNT);
    expect(call('count', [0])).toMatchObject({ value: 0, used: 5 });
    expect(call('count', [1])).toMatchObject({ value: 1, used: 14 });
    expect(call('count', [10])).toMatchObject({ value: 10, used: 95 });
    expect(call('count', [1000])).toMatchObject({ value: 1000, used: 9005 });
  });

  it('counts br_if taken and not taken', async () => {
    const { call } = await load(`(module (func (export "pick") (param i32) (result i32)
      block $b (result i32)
        i32.const 10       ;; 1
        local.get 0        ;; 1
        br_if $b           ;; 1   3, charged on both paths
        drop               ;; 0
        i32.const 20       ;; 1   1, only when not taken
      end
      i32.const 1 i32.add))  ;; 2   taken: 3 + 2 = 5; not taken: 3 + 1 + 2 = 6`);
    expect(call('pick', [1])).toMatchObject({ value: 11, used: 5 });
    expect(call('pick', [0])).toMatchObject({ value: 21, used: 6 });
  });

  it('counts each br_table target', async () => {
    const { call } = await load(`(module (func (export "classify") (param i32) (result i32)
      block $other
        block $one
          block $zero
            local.get 0                   ;; 1
            br_table $zero $one $other    ;; 1   2 on every path
          end
          i32.const 100 return            ;; 1   zero: 2 + 1 = 3
        end
        i32.const 50 i32.const 51 i32.add return   ;; 3   one: 2 + 3 = 5
      end
      local.get 0 i32.const 2 i32.mul i32.const 100 i32.add))   ;; 5   other: 2 + 5 = 7`);
    expect(call('classify', [0])).toMatchObject({ value: 100, used: 3 });
    expect(call('classify', [1])).toMatchObject({ value: 101, used: 5 });
    expect(call('classify', [7])).toMatchObject({ value: 114, used: 7 });
  });

  it('counts both arms of if/else, and an if without else', async () => {
    const { call } = await load(`(module
      (func (export "abs") (param i32) (result i32)
        local.get 0 i32.const 0 i32.lt_s   ;; 3
        if (result i32)                    ;; 1   4 on both paths
          i32.const 0 local.get 0 i32.sub  ;; 3   negative: 4 + 3 = 7
        else
          local.get 0                      ;; 1   otherwise: 4 + 1 = 5
        end)
      (func (export "clamp") (param i32) (result i32)
        local.get 0 i32.const 9 i32.gt_s   ;; 3
        if                                 ;; 1   4 on both paths
          i32.const 9 local.set 0          ;; 2   above 9: 4 + 2 + 1 = 7
        end
        local.get 0))                      ;; 1   otherwise: 4 + 1 = 5`);
    expect(call('abs', [-3])).toMatchObject({ value: 3, used: 7 });
    expect(call('abs', [3])).toMatchObject({ value: 3, used: 5 });
    expect(call('clamp', [12])).toMatchObject({ value: 9, used: 7 });
    expect(call('clamp', [2])).toMatchObject({ value: 2, used: 5 });
  });

  it('counts a direct call and charges nothing for an imported function', async () => {
    let seenByHost = -1;
    const meter = new FuelMeter();
    const host = (x: number) => {
      seenByHost = BUDGET - Number(meter.global.value); // what the caller had used, call included
      return x + 1;
    };
    const { call } = await load(
      `(module
        (import "env" "host" (func $host (param i32) (result i32)))
        (func $double (param i32) (result i32)
          local.get 0 i32.const 2 i32.mul)   ;; 3
        (func (export "calls") (param i32) (result i32)
          local.get 0      ;; 1
          call $double     ;; 1   2 before the call, then 3 inside
          call $host       ;; 1   1 before the call, 0 inside: the host sees 2 + 3 + 1 = 6
          i32.const 1      ;; 1
          i32.add))        ;; 1   2 after: 6 + 2 = 8`,
      { env: { host } },
      meter,
    );
    expect(call('calls', [5])).toMatchObject({ value: 12, used: 8 });
    expect(seenByHost).toBe(6);
  });

  it('counts return, tail calls and multi-value', async () => {
    const { call } = await load(`(module
      (func $leaf (param i32) (result i32) local.get 0 i32.const 1 i32.add)   ;; 3
      (func $pair (result i32 i32) i32.const 1 i32.const 2)                   ;; 2
      (func (export "early") (param i32) (result i32)
        local.get 0 if        ;; 2
          i32.const 7 return  ;; 1   taken: 2 + 1 = 3
        end
        i32.const 9 i32.const 1 i32.add)   ;; 3   otherwise: 2 + 3 = 5
      (func (export "tail") (param i32) (result i32)
        local.get 0 return_call $leaf)     ;; 2 + 3 = 5
      (func (export "sum") (result i32)
        call $pair i32.add)                ;; 1 + 2 + 1 = 4
      (func (export "params") (result i32)
        i32.const 1 i32.const 2            ;; 2
        block (param i32 i32) (result i32)
          i32.add                          ;; 1
        end))                              ;;     3`);
    expect(call('early', [1])).toMatchObject({ value: 7, used: 3 });
    expect(call('early', [0])).toMatchObject({ value: 10, used: 5 });
    expect(call('tail', [4])).toMatchObject({ value: 5, used: 5 });
    expect(call('sum')).toMatchObject({ value: 3, used: 4 });
    expect(call('params')).toMatchObject({ value: 3, used: 3 });
  });

  it('counts a function with many locals and nested blocks, and globals still work', async () => {
    // 200 nested blocks, each adding 1 to its own local (4 each), then local.get, global.get, add
    // (3): 4 × 200 + 3 = 803. 800 locals of four types, alternating. The defined global moves from index 1 to 2 behind the fuel import.
    const depth = 200;
    const locals = Array.from({ length: depth }, (_, k) => `(local $l${k} i32) (local f64 i64 v128)`).join(' ');
    let body = '';
    for (let k = 0; k < depth; k++) body += `block local.get $l${k} i32.const 1 i32.add local.set $l${k} `;
    body += 'end '.repeat(depth);
    const { call, exports } = await load(
      `(module
        (import "env" "base" (global $base i32))
        (global $g (export "g") (mut i32) (global.get $base))
        (func (export "deep") (result i32) ${locals} ${body}
          local.get $l${depth - 1} global.get $g i32.add)
        (func (export "bump") global.get $g i32.const 1 i32.add global.set $g))   ;; 4`,
      { env: { base: 41 } },
    );
    expect(call('deep')).toMatchObject({ value: 42, used: 803 });
    expect(call('bump')).toMatchObject({ used: 4 });
    expect((exports.g as WebAssembly.Global).value).toBe(42);
  });
});

describe('traps and budgets', () => {
  const TRAPS = `(module
    (func $noop)                           ;; 0
    (func (export "divide") (param i32) (result i32)
      i32.const 1 drop       ;; 1
      call $noop             ;; 1   2, charged before the call
      i32.const 100          ;; 1
      local.get 0            ;; 1
      i32.div_u              ;; 1   traps when the divisor is 0: this stretch is not charged
      i32.const 1 i32.add)   ;; 2   5, charged at the end: 2 + 5 = 7
    (func (export "abort")
      i32.const 1 drop       ;; 1
      unreachable))          ;; 0   charged before it: 1`;

  it('a trap in the middle of a stretch counts what came before its last charge', async () => {
    const { call } = await load(TRAPS);
    expect(call('divide', [5])).toMatchObject({ value: 21, used: 7 });
    const trapped = call('divide', [0]);
    expect(trapped).toMatchObject({ used: 2, exhausted: false });
    expect(trapped.error).toBeInstanceOf(WebAssembly.RuntimeError);
  });

  it("a guest's own unreachable is counted exactly and is not out of fuel", async () => {
    const { call } = await load(TRAPS);
    const result = call('abort');
    expect(result).toMatchObject({ used: 1, exhausted: false });
    expect(result.error).toBeInstanceOf(WebAssembly.RuntimeError);
  });

  it('runs out exactly at the boundary: the last check sees 9n used, so 9n + 1 passes and 9n traps', async () => {
    const { call, meter } = await load(COUNT);
    // n = 10: the header check of the last pass sees 90 used; after it the call uses 5 more.
    expect(call('count', [10], 91)).toMatchObject({ value: 10, used: 95, exhausted: false });
    const out = call('count', [10], 90);
    expect(out).toMatchObject({ used: 90, exhausted: true });
    expect(out.error).toBeInstanceOf(WebAssembly.RuntimeError);
    expect(meter.global.value).toBe(FUEL_EXHAUSTED);
    expect(outOfFuelMessage(90)).toBe('out of fuel: the call used its budget of 90 fuel');
    // A budget of 0 stops at the function entry; a budget of 1 gets through.
    expect(call('count', [0], 0)).toMatchObject({ used: 0, exhausted: true });
    expect(call('count', [0], 1)).toMatchObject({ used: 5, exhausted: false });
  });

  it('stops an infinite loop', async () => {
    const { call } = await load(`(module (func (export "spin") (loop $l br $l)))`);
    expect(call('spin', [], 1000)).toMatchObject({ used: 1000, exhausted: true });
  });

  it('reports the same fuel for the same call, again and in another instance', async () => {
    const first = await load(COUNT);
    const second = await load(COUNT);
    const runs = [first.call('count', [37]), first.call('count', [37]), second.call('count', [37])];
    expect(runs.map((run) => run.used)).toEqual([338, 338, 338]); // 9 × 37 + 5
  });
});

describe('several modules of one plugin', () => {
  it('share one counter through the import', async () => {
    const meter = new FuelMeter();
    const a = await load(`(module (func (export "work") (param i32) (result i32) local.get 0 i32.const 1 i32.add))`, {}, meter);
    const b = await load(
      `(module (import "a" "work" (func $work (param i32) (result i32)))
        (func (export "twice") (param i32) (result i32)
          local.get 0   ;; 1
          call $work    ;; 1   2, then 3 in module a
          call $work))  ;; 1   1, then 3 in module a: 2 + 3 + 1 + 3 = 9`,
      { a: a.exports },
      meter,
    );
    expect(b.call('twice', [1])).toMatchObject({ value: 3, used: 9 });
    // Running out in module a is seen by module b's caller through the same global.
    expect(b.call('twice', [1], 5)).toMatchObject({ used: 5, exhausted: true });
  });
});
