// Plugin worker entry: one per enabled plugin. A sandbox with a pipe; the logic is in runtimes/.
import { expose } from 'comlink';
import type { GuestRuntime, PluginWorkerApi, WorkerStart } from '../shared/protocol.ts';
import { lockDown } from './lockdown.ts';
import { PagePort } from './page-port.ts';
import { ComponentRuntime, importBindings, type GeneratedBindings } from './runtimes/component.ts';

// Before any guest code loads: no fetch, sockets, storage or nested workers in here.
lockDown();

let runtime: GuestRuntime | undefined;
/** Bindings whose import began before the start brought the compiled modules. */
let prepared: { key: string; imported: Promise<GeneratedBindings> } | undefined;

function started(): GuestRuntime {
  if (!runtime) throw new Error('the plugin has not been started');
  return runtime;
}

/** Extism's SDK loads only in the workers that run a SoundTime module. */
async function startRuntime(init: WorkerStart, page: PagePort): Promise<GuestRuntime> {
  switch (init.runtime.kind) {
    case 'component': {
      // The same bindings only: a start is never given bindings other than its own. Should the
      // import begun ahead fail (its Blob unreadable), the start's own bindings are imported.
      const component = init.runtime;
      const imported = prepared?.key === component.bindingsKey ? prepared.imported.catch(() => importBindings(component.bindings)) : undefined;
      prepared = undefined;
      return ComponentRuntime.start(component, page, init.logPort, init.fuel, imported);
    }
    case 'soundtime': {
      const { SoundTimeRuntime } = await import('./runtimes/soundtime.ts');
      return SoundTimeRuntime.start(init.runtime, page, init.logPort, init.fuel);
    }
  }
}

const api: PluginWorkerApi = {
  async start(init) {
    const began = performance.now();
    const page = new PagePort(self);
    const ready = await startRuntime(init, page);
    runtime = ready;
    page.meter = ready.meter;
    page.serve((event, fuel) => ready.onEvent(event, fuel));
    return { instantiateMs: performance.now() - began, loadMs: ready.loadMs };
  },
  prepare(bindings, key) {
    if (runtime || prepared) return;
    const imported = importBindings(bindings);
    // A failed import is reported by the start that awaits it.
    imported.catch(() => {});
    prepared = { key, imported };
  },
  metadata: () => started().metadata(),
};

expose(api);
