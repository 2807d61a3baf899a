// The host interface's functions at the guest's core level. jco's generated bindings lift and
// lower every import inside its component-model task machinery: about 85 µs of a 130 µs host call
// (bench figure 2), more than the whole budget of two postMessage round trips. Transpiled with
// jco's `hybrid` import bindings, an import that carries `[Symbol.for('cabiLower')]` is given the
// guest's memory and allocator and returns the core function itself, so a host call goes from the
// guest's import straight to the page's port. The types are wit/plugin.wit's, parsed when the
// worker is built (scripts/vite-wit.ts); the lifting and lowering rules are in canon.ts.
import world from '../../wit/plugin.wit?world';
import type { HostFunctionName } from '../shared/protocol.ts';
import { camelCase } from '../shared/wit/jco-values.ts';
import type { WitFunction } from '../shared/wit/model.ts';
import { lifter, MemoryAccess, storer, type GuestMemory } from './canon.ts';

/** The host interface's functions as wit/plugin.wit declares them, every type resolved. */
const signatures: ReadonlyMap<string, WitFunction> = (() => {
  const host = world.imports.find((item) => item.kind === 'interface' && item.iface.name === 'host');
  if (host?.kind !== 'interface') throw new Error('wit/plugin.wit has no host interface');
  return new Map(host.iface.functions.map((fn) => [fn.name, fn]));
})();

export function hostSignature(fn: HostFunctionName): WitFunction {
  const signature = signatures.get(fn);
  if (!signature) throw new Error(`wit/plugin.wit declares no host function ${fn}`);
  return signature;
}

export const CABI_LOWER = Symbol.for('cabiLower');

/** Results that flatten to more than one value, which the guest passes a pointer for. */
const STORED_KINDS = new Set(['string', 'list', 'record', 'tuple', 'option', 'result']);

interface Suspending {
  Suspending: new (fn: (...args: number[]) => Promise<void>) => unknown;
}

/**
 * The core function jco asks a host import for: it reads the flat arguments and calls `call` with
 * them as jco's bindings would pass them. A function with a result suspends the guest through
 * JSPI until `call` settles, then stores the answer at the return pointer the guest passed last
 * (every result of this interface is stored; none fits one flat value). One without (the log
 * lines) returns at once.
 */
export function coreImport(fn: HostFunctionName, mem: GuestMemory, call: (args: unknown[]) => unknown): unknown {
  const { params, result } = hostSignature(fn);
  const access = new MemoryAccess(mem);
  const lifts = params.map(({ type }) => lifter(type));
  // Past 16 flat values the arguments would come in memory, and a result of one flat value
  // would be returned, not stored: the host interface has neither, and says so if it ever does.
  if (lifts.reduce((n, l) => n + l.flat, 0) > 16) throw new Error(`${fn} takes more than 16 flat arguments`);
  if (result && !STORED_KINDS.has(result.kind)) throw new Error(`${fn} returns a ${result.kind}, which is not stored`);
  const lift = (flat: number[]) => {
    let at = 0;
    return lifts.map(({ flat: width, lift: read }) => {
      const value = read(access, flat, at);
      at += width;
      return value;
    });
  };
  if (!result) return (...flat: number[]) => void call(lift(flat));
  const store = storer(result);
  return new (WebAssembly as unknown as Suspending).Suspending(async (...flat: number[]) => {
    const answer = await call(lift(flat));
    // The guest passed the pointer its result goes to last.
    store(access, answer, flat[flat.length - 1]! >>> 0);
  });
}

/** jco's name for a host function's import, as its bindings destructure them. */
export const importName = camelCase;
