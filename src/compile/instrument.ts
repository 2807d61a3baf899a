// Fuel instrumentation of a plugin's core modules, in the compile worker: rewriting the QuickJS
// engine takes tens of milliseconds and StarlingMonkey's hundreds, which the page must not spend.
// The modules go back transferred, not copied.
import { transfer } from 'comlink';
import type { Instrumented } from '../shared/protocol.ts';
import { instrumentFuel, type FuelOptions } from './fuel/instrument.ts';

export async function instrument(modules: Record<string, Uint8Array>, options: FuelOptions = {}): Promise<Instrumented> {
  const began = performance.now();
  const out: Record<string, Uint8Array<ArrayBuffer>> = {};
  for (const [name, bytes] of Object.entries(modules)) {
    try {
      out[name] = instrumentFuel(bytes, options);
    } catch (e) {
      throw new Error(
        `The core module ${name} cannot be instrumented to count fuel (${e instanceof Error ? e.message : String(e)}), so the playground cannot run it.`,
      );
    }
  }
  const result: Instrumented = { modules: out, instrumentMs: performance.now() - began };
  return transfer(
    result,
    Object.values(out).map((bytes) => bytes.buffer),
  );
}
