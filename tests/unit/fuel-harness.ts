// Instruments WAT and runs it in Node with a FuelMeter, for the fuel unit tests.
import { expect } from 'vitest';
import { parse } from '@bytecodealliance/jco-transpile/wasm-tools';
import { FuelMeter, instrumentFuel, type FuelOptions } from '../../src/compile/fuel/instrument.ts';

type Fn = (...args: number[]) => number;
export const BUDGET = 1_000_000;

export const wat = async (text: string) => new Uint8Array(await parse(text));

export async function instrument(text: string, options?: FuelOptions): Promise<Uint8Array<ArrayBuffer>> {
  const out = instrumentFuel(await wat(text), options);
  expect(WebAssembly.validate(out)).toBe(true);
  return out;
}

/** Instantiates `wat` instrumented, with `meter`'s global (a fresh one unless shared). */
export async function load(text: string, imports: WebAssembly.Imports = {}, meter = new FuelMeter(), options?: FuelOptions) {
  meter.start(BUDGET);
  const { instance } = await WebAssembly.instantiate(await instrument(text, options), { ...imports, ...meter.imports });
  const call = (name: string, args: number[] = [], budget = BUDGET) => {
    meter.start(budget);
    let value: number | undefined;
    let error: unknown;
    try {
      value = (instance.exports[name] as Fn)(...args);
    } catch (caught) {
      error = caught;
    }
    return { value, error, ...meter.finish() };
  };
  return { call, meter, exports: instance.exports };
}
