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

/** The module and field of the one import every instrumented core module gains. */
export const FUEL_IMPORT_MODULE = 'playground:fuel';
/** A mutable i64 global: fuel left in this call. Inserted code subtracts from it. */
export const FUEL_IMPORT_NAME = 'remaining';

/** Bump when the instrumenter's output changes for the same input (it is in the cache key). */
export const FUEL_INSTRUMENTER_VERSION = 1;
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
  readonly global = new WebAssembly.Global({ value: 'i64', mutable: true }, 0n);
  /** Merge into every instrumented core module's import object. */
  readonly imports = { [FUEL_IMPORT_MODULE]: { [FUEL_IMPORT_NAME]: this.global } };
  private budget = 0;

  /** Gives the next call (or instantiation) `budget` fuel. */
  start(budget: number): void {
    if (!Number.isSafeInteger(budget) || budget < 0) throw new RangeError(`fuel: a budget must be a whole number ≥ 0, not ${budget}.`);
    this.budget = budget;
    this.global.value = BigInt(budget);
  }

  /** After the call returned or threw. */
  finish(): FuelReading {
    const remaining = this.global.value as bigint;
    if (remaining <= FUEL_EXHAUSTED) return { used: this.budget, exhausted: true };
    return { used: this.budget - Number(remaining), exhausted: false };
  }
}
