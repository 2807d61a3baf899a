// Checks that instrumented modules count the same fuel in Chromium as in Node: the same bytes
// (instrumented once, here) run in both, and every call's value, fuel used and exhaustion must
// match, and match the count worked out by hand (as in tests/unit/fuel.test.ts). Not part of
// npm test: it needs a Chromium.
//   node scripts/fuel-chromium.mjs
import { parse } from '@bytecodealliance/jco-transpile/wasm-tools';
import { chromium } from '@playwright/test';
import { CHROMIUM_ARGS, chromiumExecutable } from './chromium.mjs';
import { loadInstrumenter } from './fuel-instrumenter.mjs';

const COUNT = `(module (func (export "count") (param $n i32) (result i32) (local $i i32)
  block $done loop $next
    local.get $i local.get $n i32.ge_u br_if $done        ;; 4 per pass through the header
    local.get $i i32.const 1 i32.add local.set $i br $next  ;; 5 per completed iteration
  end end
  local.get $i))                                           ;; 9n + 5`;

const CALLS = `(module
  (func $double (param i32) (result i32) local.get 0 i32.const 2 i32.mul)   ;; 3
  (func (export "classify") (param i32) (result i32)
    block $other block $one block $zero
      local.get 0 br_table $zero $one $other   ;; 2
    end i32.const 100 return                   ;; zero: 2 + 1 = 3
    end local.get 0 call $double return        ;; one: 2 + 2 + 3 = 7
    end i32.const 7 local.get 0 i32.mul))      ;; other: 2 + 3 = 5`;

const TRY_TABLE = `(module
  (tag $e (param i32))
  (func $thrower (param i32) local.get 0 throw $e)                    ;; 2
  (func (export "catches") (param i32) (result i32)
    block $handler (result i32)
      try_table (result i32) (catch $e $handler)
        local.get 0 call $thrower i32.const 0                         ;; 3 before the call
      end
      return
    end
    i32.const 1 i32.add))                                             ;; 3 + 2 + 2 = 7`;

const WORK = `(module (func (export "work") (param i32) (result i32) local.get 0 i32.const 1 i32.add))`;
const TWICE = `(module (import "a" "work" (func $work (param i32) (result i32)))
  (func (export "twice") (param i32) (result i32) local.get 0 call $work call $work))   ;; 2 + 3 + 1 + 3 = 9`;

// [module name, export, args, budget, expected { value, used, exhausted }]; modules of one case
// are instantiated in order, each seeing the earlier ones' exports, all with one fuel global.
const CASES = [
  {
    modules: { count: COUNT },
    calls: [
      ['count', 'count', [10], 1e6, 10, 95, false],
      ['count', 'count', [1000], 1e6, 1000, 9005, false],
      ['count', 'count', [10], 91, 10, 95, false],
      ['count', 'count', [10], 90, null, 90, true],
    ],
  },
  {
    modules: { calls: CALLS },
    calls: [
      ['calls', 'classify', [0], 1e6, 100, 3, false],
      ['calls', 'classify', [1], 1e6, 2, 7, false],
      ['calls', 'classify', [9], 1e6, 63, 5, false],
    ],
  },
  { modules: { exn: TRY_TABLE }, calls: [['exn', 'catches', [4], 1e6, 5, 7, false]] },
  {
    modules: { a: WORK, b: TWICE },
    calls: [
      ['b', 'twice', [1], 1e6, 3, 9, false],
      ['b', 'twice', [1], 5, null, 5, true],
    ],
  },
];

/** Runs in Node and, stringified, in the page: no closures over this module. */
async function runCase(modules, calls, fuelModule, fuelName, exhaustedBelow) {
  const global = new WebAssembly.Global({ value: 'i64', mutable: true }, 1_000_000n);
  const instances = {};
  for (const [name, bytes] of Object.entries(modules)) {
    const imports = { ...instances, [fuelModule]: { [fuelName]: global } };
    instances[name] = (await WebAssembly.instantiate(new Uint8Array(bytes), imports)).instance.exports;
  }
  return calls.map(([module, fn, args, budget]) => {
    global.value = BigInt(budget);
    let value = null;
    try {
      value = instances[module][fn](...args);
    } catch {
      // a trap: what the global says is the result
    }
    const exhausted = global.value <= BigInt(exhaustedBelow);
    return { value, used: exhausted ? budget : budget - Number(global.value), exhausted };
  });
}

const { instrumentFuel, FUEL_IMPORT_MODULE, FUEL_IMPORT_NAME, FUEL_EXHAUSTED } = await loadInstrumenter();
const prepared = [];
for (const { modules, calls } of CASES) {
  const bytes = {};
  for (const [name, wat] of Object.entries(modules)) bytes[name] = Array.from(instrumentFuel(new Uint8Array(await parse(wat))));
  prepared.push({ bytes, calls });
}

const browser = await chromium.launch({ executablePath: chromiumExecutable(), args: [...CHROMIUM_ARGS] });
let failed = false;
try {
  const page = await browser.newPage();
  console.log(`Chromium ${browser.version()} and Node ${process.version}:`);
  for (const { bytes, calls } of prepared) {
    const args = [bytes, calls, FUEL_IMPORT_MODULE, FUEL_IMPORT_NAME, String(FUEL_EXHAUSTED)];
    const inPage = await page.evaluate(
      ([source, ...rest]) => (0, eval)(`(${source})`)(...rest), // the very function Node runs
      [runCase.toString(), ...args],
    );
    let inNode;
    try {
      inNode = await runCase(...args);
    } catch (error) {
      inNode = calls.map(() => ({ error: String(error).split('\n')[0] })); // e.g. exnref, which Node 20 lacks
    }
    calls.forEach(([module, fn, callArgs, budget, value, used, exhausted], i) => {
      const expected = { value, used, exhausted };
      const same = JSON.stringify(inPage[i]) === JSON.stringify(expected);
      const node = inNode[i].error
        ? `Node cannot run it (${inNode[i].error})`
        : JSON.stringify(inNode[i]) === JSON.stringify(expected)
          ? 'Node agrees'
          : `Node ${JSON.stringify(inNode[i])}`;
      if (!same || !(inNode[i].error || node === 'Node agrees')) failed = true;
      console.log(`  ${same ? 'ok  ' : 'FAIL'} ${module}.${fn}(${callArgs}) budget ${budget}: Chromium ${JSON.stringify(inPage[i])}; ${node}`);
    });
  }
} finally {
  await browser.close();
}
process.exitCode = failed ? 1 : 0;
