// Every call into a guest runs on its instance's FuelMeter: the budget is set before, the count
// read after, and a call that ran out becomes the `out of fuel` trap the page reports.
import { outOfFuelMessage, type FuelMeter, type FuelReading } from '../shared/fuel.ts';

/** A call that trapped (or ran out of fuel), with the fuel it used; sent as `event-failed`. */
export class Trap extends Error {
  constructor(
    message: string,
    readonly fuel: FuelReading,
  ) {
    super(message);
  }
}

export type Metered<T> = { ok: true; value: T; fuel: number } | { ok: false; error: unknown; fuel: FuelReading };

/** Runs `call` with `budget` fuel; never rejects. A call that ran out fails with outOfFuelMessage. */
export async function metered<T>(meter: FuelMeter, budget: number, call: () => T | Promise<T>): Promise<Metered<T>> {
  meter.start(budget);
  try {
    const value = await call();
    return { ok: true, value, fuel: meter.finish().used };
  } catch (error) {
    const fuel = meter.finish();
    // The RuntimeError of the inserted `unreachable` says nothing; the budget does.
    return { ok: false, error: fuel.exhausted ? new Trap(outOfFuelMessage(budget), fuel) : error, fuel };
  }
}

/** A trap as it leaves the worker: its message, with what the call used. */
export function asTrap(error: unknown, fuel: FuelReading): Trap {
  if (error instanceof Trap) return error;
  const trap = new Trap(error instanceof Error ? error.message : String(error), fuel);
  if (error instanceof Error) trap.name = error.name;
  return trap;
}
