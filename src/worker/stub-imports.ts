// Stand-ins for every import an explored component has beyond WASI: each records its call
// (function and arguments, as WIT values) and returns the value the user set for it, or its
// result type's zero value. Stubs answer synchronously, so the guest never waits on the page.
import type { ExploreEvent } from '../shared/explore-protocol.ts';
import { camelCase, fromJco, pascalCase, toJco, type Handles } from '../shared/wit/jco-values.ts';
import { qualifiedName, type WitFunction, type WitInterface, type WitWorld } from '../shared/wit/model.ts';
import { hasZero, zeroValue } from '../shared/wit/values.ts';

export interface StubContext {
  handles: Handles;
  /** Checked values by qualified function name; absent means the zero value. */
  stubs: Map<string, unknown>;
  emit(event: ExploreEvent): void;
  /** Makes a stub resource object (for zero values of `own<R>` where R is an imported resource). */
  newResource(iface: string, resource: string): unknown;
}

function errorOf(message: string): Error {
  return Object.assign(new Error(message), { name: 'StubError' });
}

/** One stubbed function: records, then answers with the set value or the zero value. */
function stubFunction(ctx: StubContext, iface: WitInterface | undefined, fn: WitFunction): (...args: unknown[]) => unknown {
  const key = qualifiedName(iface?.name, fn.name);
  return (...jsArgs: unknown[]) => {
    const args = fn.params.map((p, i) => fromJco(p.type, jsArgs[i], ctx.handles));
    if (!fn.result) {
      ctx.emit({ kind: 'import-call', fn: key, args });
      return undefined;
    }
    const result = fn.result;
    let value: unknown;
    if (ctx.stubs.has(key)) value = ctx.stubs.get(key);
    else if (result.kind === 'own' && iface?.resources.includes(result.resource)) {
      ctx.emit({ kind: 'import-call', fn: key, args, result: '(a new stub resource)' });
      return ctx.newResource(iface.key, result.resource);
    } else if (hasZero(result)) value = zeroValue(result);
    else {
      const error = `${key} returns ${result.kind === 'unsupported' ? result.text : 'a resource'}, which has no zero value: set a value for this stub`;
      ctx.emit({ kind: 'import-call', fn: key, args, error });
      throw errorOf(error);
    }
    ctx.emit({ kind: 'import-call', fn: key, args, result: value });
    return toJco(result, value, ctx.handles);
  };
}

/** A class per imported resource: its constructor, methods and static functions are stubs too. */
function stubClass(ctx: StubContext, iface: WitInterface, resource: string): unknown {
  const functions = iface.functions.filter((fn) => fn.resource?.name === resource);
  const constructorStub = functions.find((fn) => fn.resource?.role === 'constructor');
  const record = constructorStub ? stubFunction(ctx, iface, { ...constructorStub, result: undefined }) : undefined;
  const made = new WeakSet<object>();
  class Stub {
    constructor(...args: unknown[]) {
      // `newResource` makes objects without recording a constructor call.
      if (args[0] !== made) record?.(...args);
    }
  }
  Object.defineProperty(Stub, 'name', { value: pascalCase(resource) });
  for (const fn of functions) {
    const member = camelCase(fn.name.replace(/^\[\w+\][\w-]+\./, ''));
    if (fn.resource?.role === 'method') {
      const method = { ...fn, params: fn.params.slice(1) };
      const stub = stubFunction(ctx, iface, method);
      Object.defineProperty(Stub.prototype, member, { value: stub, writable: true, configurable: true });
    } else if (fn.resource?.role === 'static') {
      Object.defineProperty(Stub, member, { value: stubFunction(ctx, iface, fn), writable: true, configurable: true });
    }
  }
  return Object.assign(Stub, { make: () => new Stub(made) });
}

/** Import-object entries (jco's keys: unversioned interface names; a root function as its own module). */
export function stubImports(world: WitWorld, ctx: StubContext, skip: (key: string) => boolean): Record<string, unknown> {
  const imports: Record<string, unknown> = {};
  for (const item of world.imports) {
    if (item.kind === 'function') {
      imports[item.fn.name] = { default: stubFunction(ctx, undefined, item.fn) };
      continue;
    }
    const { iface } = item;
    if (skip(iface.key)) continue;
    const members: Record<string, unknown> = {};
    for (const fn of iface.functions) if (!fn.resource) members[camelCase(fn.name)] = stubFunction(ctx, iface, fn);
    for (const resource of iface.resources) members[pascalCase(resource)] = stubClass(ctx, iface, resource);
    imports[iface.key] = members;
  }
  return imports;
}
