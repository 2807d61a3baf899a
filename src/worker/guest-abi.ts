// The guest's `on-event` at its core level. jco's generated export runs every call through its
// component-model task machinery (a task made, entered and exited, two async wrappers around the
// call): about 15 of the 25 µs a no-op QuickJS event took inside its worker (bench figure 1, "the
// event delivered inside the worker"). As host-abi.ts does for the imports, the worker calls the
// core function itself: it finds it among the core instances it instantiated, lowers the event
// into the guest's memory (canon-flat.ts), calls it through JSPI and reads the result back. When
// the function, the one memory it works on or its allocator cannot be told for sure, or the
// types are not ones the lowering covers, jco's export is called instead.
import world from '../../wit/plugin.wit?world';
import { GUEST_INTERFACE } from '../shared/contract.ts';
import type { WitFunction } from '../shared/wit/model.ts';
import { MemoryAccess } from './canon.ts';
import { lowerer, resultLoader, type FlatValue, type Lower } from './canon-flat.ts';

/** A core instance as the bindings' instantiateCore hook made it, with what it was given. */
export interface CoreInstance {
  instance: WebAssembly.Instance;
  imports: WebAssembly.Imports;
}

/** Past 16 flat arguments the canonical ABI passes them in memory, which this does not do. */
const MAX_FLAT_PARAMS = 16;

/** `playground:plugin/guest@0.1.0#on-event`, or without the version: the core export's name as wit-component writes it. */
const CORE_NAME = new RegExp(`^${GUEST_INTERFACE.replace(/[/.]/g, '\\$&')}(@[^#]+)?#on-event$`);

function onEventSignature(): WitFunction {
  const guest = world.exports.find((item) => item.kind === 'interface' && item.iface.name === 'guest');
  const fn = guest?.kind === 'interface' ? guest.iface.functions.find((f) => f.name === 'on-event') : undefined;
  if (!fn) throw new Error('wit/plugin.wit has no guest on-event');
  return fn;
}

/** The memories an instance exports or was given: the one it works on when there is only one. */
function memoriesOf({ instance, imports }: CoreInstance): Set<WebAssembly.Memory> {
  const found = new Set<WebAssembly.Memory>();
  for (const value of Object.values(instance.exports)) if (value instanceof WebAssembly.Memory) found.add(value);
  for (const module of Object.values(imports)) {
    for (const value of Object.values(module as Record<string, unknown>)) if (value instanceof WebAssembly.Memory) found.add(value);
  }
  return found;
}

interface Promising {
  promising(fn: unknown): (...args: FlatValue[]) => Promise<number>;
}

/** A guest `err`, shaped as jco throws it (a ComponentError's `payload`), so both paths end the same. */
export class GuestErr extends Error {
  constructor(readonly payload: unknown) {
    super(String(payload));
  }
}

/**
 * The guest's on-event called on its core function, or undefined when the instances do not say
 * for sure which function, memory and allocator that is. Resolves on `ok`; an `err` throws GuestErr.
 */
export function coreOnEvent(instances: readonly CoreInstance[]): ((event: unknown) => Promise<void>) | undefined {
  const holders = instances.flatMap((core) =>
    Object.keys(core.instance.exports)
      .filter((name) => CORE_NAME.test(name))
      .map((name) => ({ core, name })),
  );
  if (holders.length !== 1) return undefined;
  const [{ core, name }] = holders as [{ core: CoreInstance; name: string }];
  const exports = core.instance.exports as Record<string, unknown>;
  const memories = memoriesOf(core);
  const realloc = exports.cabi_realloc;
  const postReturn = exports[`cabi_post_${name}`];
  if (memories.size !== 1 || typeof realloc !== 'function' || (postReturn !== undefined && typeof postReturn !== 'function')) return undefined;
  const { params, result } = onEventSignature();
  if (params.length !== 1 || !result) return undefined;
  let lower: Lower;
  let read: ReturnType<typeof resultLoader>;
  try {
    lower = lowerer(params[0]!.type);
    read = resultLoader(result);
  } catch {
    return undefined;
  }
  if (lower.flat.length > MAX_FLAT_PARAMS) return undefined;
  const access = new MemoryAccess({ memory: [...memories][0]!, realloc: realloc as (a: number, b: number, c: number, d: number) => number });
  const call = (WebAssembly as unknown as Promising).promising(exports[name]);
  return async (event: unknown) => {
    const flat: FlatValue[] = [];
    lower.lower(access, event, flat);
    const ptr = (await call(...flat)) >>> 0;
    const { tag, val } = read(access, ptr);
    (postReturn as ((ptr: number) => void) | undefined)?.(ptr);
    if (tag === 'err') throw new GuestErr(val);
  };
}
