// The contract between the fuel instrumenter (src/compile/fuel/) and the runtime that runs its
// output: import names, the exhaustion sentinel, the cache-key constants, and `FuelMeter`, the
// host's end. Pure: usable in the compile worker, the plugin worker and Node tests alike.
//
// Host protocol, per plugin instance (all its core modules share one counter):
//   const meter = new FuelMeter();
//   meter.start(budget);                  // before instantiating too: start functions and the
//                                         // component's own init code run instrumented
//   instantiate every core module with meter.imports merged into its import object
//   meter.start(budget); try { call } finally { const { used, exhausted } = meter.finish(); }
//   exhausted → report outOfFuelMessage(budget) instead of the thrown RuntimeError.
// A runtime that cannot pass a global import (Extism's SDK takes only functions from the host)
// links FUEL_COUNTER_MODULE's module instead, and the instrumenter re-exports the counter as
// FUEL_COUNTER_EXPORT, so the host reaches it through the instance: `new FuelMeter(global)`.

/** The module and field of the one import every instrumented core module gains. */
export const FUEL_IMPORT_MODULE = 'playground:fuel';
/** A mutable i64 global: fuel left in this call. Inserted code subtracts from it. */
export const FUEL_IMPORT_NAME = 'remaining';

/** The export name of the counter in a module instrumented with `exportCounter`. */
export const FUEL_COUNTER_EXPORT = `${FUEL_IMPORT_MODULE}/${FUEL_IMPORT_NAME}`;

/**
 * A module that defines the counter, holding `initial`, and exports it as FUEL_IMPORT_NAME: a
 * runtime links it under the name FUEL_IMPORT_MODULE to satisfy an instrumented module's import.
 */
export function fuelCounterModule(initial: number): Uint8Array<ArrayBuffer> {
  const value: number[] = [];
  // i64.const takes a signed LEB128; budgets are whole numbers ≥ 0, below 2^53.
  for (let rest = initial; ; rest = Math.floor(rest / 128)) {
    const byte = rest % 128;
    const done = rest < 64;
    value.push(done ? byte : byte | 0x80);
    if (done) break;
  }
  const global = [0x01, 0x7e, 0x01, 0x42, ...value, 0x0b]; // one (mut i64) = i64.const initial
  const name = [...new TextEncoder().encode(FUEL_IMPORT_NAME)];
  const exports = [0x01, name.length, ...name, 0x03, 0x00]; // export it: global 0
  return Uint8Array.from([0x00, 0x61, 0x73, 0x6d, 0x01, 0, 0, 0, 0x06, global.length, ...global, 0x07, exports.length, ...exports]);
}

/** Bump when the instrumenter's output changes for the same input (it is in the cache key). */
export const FUEL_INSTRUMENTER_VERSION = 2;
/** Which cost table and check placement the counts follow (it is in the cache key). */
export const FUEL_COST_MODEL = 'wasmtime-default';
/** One string for the transpile cache key. */
export const FUEL_CACHE_KEY = `fuel:${FUEL_COST_MODEL}:v${FUEL_INSTRUMENTER_VERSION}`;

/**
 * What the inserted check stores in `remaining` just before it traps with `unreachable` when the
 * budget is used up. A guest's own trap leaves `remaining` far above it (a call can overshoot
 * zero only by the straight-line code after its last check), so `remaining <= FUEL_EXHAUSTED`
 * after a throw means "out of fuel". It is -2^62 rather than i64's minimum so that code a host
 * might let run on after swallowing the trap keeps subtracting without wrapping round.
 */
export const FUEL_EXHAUSTED = -(2n ** 62n);

export function outOfFuelMessage(budget: number): string {
  return `out of fuel: the call used its budget of ${budget.toLocaleString('en')} fuel`;
}

export interface FuelReading {
  /** Fuel the call used: budget − remaining; the budget itself when it ran out. */
  used: number;
  /** The call trapped because it ran out of fuel. */
  exhausted: boolean;
}

/** One plugin instance's fuel counter, shared by all its instrumented core modules. */
export class FuelMeter {
  /** Merge into every instrumented core module's import object. */
  readonly imports: Record<string, Record<string, WebAssembly.Global>>;
  private budget = 0;

  /** `global`: a counter that already exists (an instance's FUEL_COUNTER_EXPORT); else a new one. */
  constructor(readonly global: WebAssembly.Global = new WebAssembly.Global({ value: 'i64', mutable: true }, 0n)) {
    this.imports = { [FUEL_IMPORT_MODULE]: { [FUEL_IMPORT_NAME]: this.global } };
  }

  /** Gives the next call (or instantiation) `budget` fuel. */
  start(budget: number): void {
    if (!Number.isSafeInteger(budget) || budget < 0) throw new RangeError(`fuel: a budget must be a whole number ≥ 0, not ${budget}.`);
    this.budget = budget;
    this.global.value = BigInt(budget);
  }

  /** Fuel used since `start`, read while the call runs (when it asks the host for something). */
  used(): number {
    const remaining = this.global.value as bigint;
    return remaining <= FUEL_EXHAUSTED ? this.budget : this.budget - Number(remaining);
  }

  /** After the call returned or threw. */
  finish(): FuelReading {
    const remaining = this.global.value as bigint;
    if (remaining <= FUEL_EXHAUSTED) return { used: this.budget, exhausted: true };
    return { used: this.budget - Number(remaining), exhausted: false };
  }
}
