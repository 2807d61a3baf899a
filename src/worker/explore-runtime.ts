// Runs one explored component inside its worker: WASI from the browser shim, every other import
// a stub (stub-imports.ts), and any export callable by name with checked WIT values. Holds no
// policy: the page checks arguments and stub values, and owns the watchdog.
import type { CallOutcome, ExploreEvent, ExploreStart } from '../shared/explore-protocol.ts';
import { camelCase, fromJco, pascalCase, toJco, type Handles } from '../shared/wit/jco-values.ts';
import { itemFunctions, type WitFunction, type WitInterface } from '../shared/wit/model.ts';
import { stubImports } from './stub-imports.ts';
import { wasiImports } from './wasi.ts';

interface GeneratedBindings {
  instantiate(getCoreModule: (name: string) => Promise<WebAssembly.Module>, imports: Record<string, unknown>): Promise<Record<string, unknown>>;
}

/** Resource objects stay in the worker; the page holds their numbers. */
class HandleTable implements Handles {
  private next = 1;
  private readonly objects = new Map<number, { resource: string; object: unknown }>();
  private readonly numbers = new WeakMap<object, number>();

  toJs(resource: string, handle: number): unknown {
    const entry = this.objects.get(handle);
    if (!entry || entry.resource !== resource) {
      throw new Error(`there is no ${resource} with handle ${handle}: handles come from an earlier call's result in this instance`);
    }
    return entry.object;
  }

  fromJs(resource: string, object: unknown): number {
    const known = typeof object === 'object' && object !== null ? this.numbers.get(object) : undefined;
    if (known !== undefined) return known;
    const handle = this.next++;
    this.objects.set(handle, { resource, object });
    if (typeof object === 'object' && object !== null) this.numbers.set(object, handle);
    return handle;
  }
}

/** A guest `err` arrives as a thrown ComponentError carrying `payload`; anything else failed the call. */
function isGuestError(e: unknown): e is { payload: unknown } {
  return typeof e === 'object' && e !== null && 'payload' in e;
}

interface Callable {
  fn: WitFunction;
  invoke(args: unknown[]): unknown;
}

function callables(exports: Record<string, unknown>, start: ExploreStart): Map<string, Callable> {
  const found = new Map<string, Callable>();
  for (const item of start.world.exports) {
    for (const { key, iface, fn } of itemFunctions(item)) {
      const target = (iface ? (exports[iface.name] ?? exports[iface.key]) : exports) as Record<string, unknown> | undefined;
      const invoke = target && bind(target, iface, fn);
      if (invoke) found.set(key, { fn, invoke });
    }
  }
  return found;
}

function bind(target: Record<string, unknown>, iface: WitInterface | undefined, fn: WitFunction): ((args: unknown[]) => unknown) | undefined {
  if (!fn.resource) {
    const f = target[camelCase(fn.name)];
    return typeof f === 'function' ? (args) => (f as (...a: unknown[]) => unknown)(...args) : undefined;
  }
  const cls = target[pascalCase(fn.resource.name)] as (new (...a: unknown[]) => unknown) & Record<string, unknown>;
  if (typeof cls !== 'function' || !iface) return undefined;
  const member = camelCase(fn.name.replace(/^\[\w+\][\w-]+\./, ''));
  switch (fn.resource.role) {
    case 'constructor':
      return (args) => new cls(...args);
    case 'static':
      return (args) => (cls[member] as (...a: unknown[]) => unknown)(...args);
    case 'method':
      return ([self, ...args]) => (self as Record<string, (...a: unknown[]) => unknown>)[member]!(...args);
  }
}

export class ExploreRuntime {
  private constructor(
    private readonly exports: Map<string, Callable>,
    private readonly stubs: Map<string, unknown>,
    private readonly handles: HandleTable,
    private readonly sent: { count: number },
  ) {}

  static async start(init: ExploreStart): Promise<ExploreRuntime> {
    const source = init.files[init.entry];
    if (!source) throw new Error(`the transpiled bindings have no ${init.entry}`);
    const url = URL.createObjectURL(new Blob([source as BlobPart], { type: 'text/javascript' }));
    let bindings: GeneratedBindings;
    try {
      bindings = (await import(/* @vite-ignore */ url)) as GeneratedBindings;
    } finally {
      URL.revokeObjectURL(url);
    }
    const sent = { count: 0 };
    const emit = (event: ExploreEvent) => {
      sent.count++;
      init.events.postMessage(event);
    };
    const handles = new HandleTable();
    const stubs = new Map(Object.entries(init.stubs));
    const wasi = wasiImports((out) => emit({ kind: 'output', out }));
    let imports: Record<string, unknown> = {};
    const newResource = (key: string, resource: string) => (imports[key] as Record<string, { make(): unknown }>)[pascalCase(resource)]!.make();
    imports = { ...wasi, ...stubImports(init.world, { handles, stubs, emit, newResource }, (key) => key in wasi) };
    const getCoreModule = (name: string) => {
      const bytes = init.files[name];
      if (!bytes) return Promise.reject(new Error(`the transpiled bindings have no core module ${name}`));
      return WebAssembly.compile(bytes as BufferSource);
    };
    const exports = await bindings.instantiate(getCoreModule, imports);
    return new ExploreRuntime(callables(exports, init), stubs, handles, sent);
  }

  setStub(key: string, value: unknown): void {
    if (value === undefined) this.stubs.delete(key);
    else this.stubs.set(key, value);
  }

  call(key: string, args: unknown[]): CallOutcome {
    const began = performance.now();
    const done = () => ({ durationMs: performance.now() - began, events: this.sent.count });
    const target = this.exports.get(key);
    if (!target) return { kind: 'failed', error: { name: 'Error', message: `the component exports no function ${key}` }, ...done() };
    const { fn } = target;
    const result = fn.result;
    try {
      const jsArgs = fn.params.map((p, i) => toJco(p.type, args[i], this.handles));
      const returned = target.invoke(jsArgs);
      // jco returns a `result`'s ok payload itself and throws its err (below).
      const value = !result
        ? null
        : result.kind === 'result'
          ? fromJco(result, { tag: 'ok', val: returned }, this.handles)
          : fromJco(result, returned, this.handles);
      return { kind: 'returned', value, ...done() };
    } catch (e) {
      if (result?.kind === 'result' && isGuestError(e)) {
        return { kind: 'returned', value: fromJco(result, { tag: 'err', val: e.payload }, this.handles), ...done() };
      }
      const error = e instanceof Error ? { name: e.name, message: e.message } : { name: 'Error', message: String(e) };
      return { kind: 'failed', error, ...done() };
    }
  }
}
