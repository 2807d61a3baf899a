// Plugin worker entry: one per enabled plugin. A sandbox with a pipe; the logic is in runtimes/.
import { expose } from 'comlink';
import type { ComponentStart, GuestRuntime, PluginWorkerApi, WorkerStart } from '../shared/protocol.ts';
import { lockDown } from './lockdown.ts';
import { PagePort } from './page-port.ts';
import { ComponentRuntime, importBindings } from './runtimes/component.ts';

// Before any guest code loads: no fetch, sockets, storage or nested workers in here.
lockDown();

let runtime: GuestRuntime | undefined;
/** The rest of an early start, which `complete` brings. */
let completing: ((start: ComponentStart) => void) | undefined;
const completed = new Promise<ComponentStart>((resolve) => (completing = resolve));

function started(): GuestRuntime {
  if (!runtime) throw new Error('the plugin has not been started');
  return runtime;
}

/** Extism's SDK loads only in the workers that run a SoundTime module. */
async function startRuntime(init: WorkerStart, page: PagePort): Promise<GuestRuntime> {
  switch (init.runtime.kind) {
    case 'component': {
      const component = init.runtime;
      const code =
        'modules' in component
          ? { bindings: importBindings(component.bindings), modules: Promise.resolve(component.modules) }
          : // An early start: the page is still compiling the modules. Should the bindings it sent
            // be unreadable (their Blob's file gone), those of the complete start are imported.
            {
              bindings: importBindings(component.bindings).catch(async () => importBindings((await completed).bindings)),
              modules: completed.then((whole) => whole.modules),
            };
      return ComponentRuntime.start(component.profile, code, page, init);
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
    return { instantiateMs: performance.now() - began, loadMs: ready.loadMs, waitMs: ready.waitMs };
  },
  complete(start) {
    completing?.(start);
    completing = undefined;
  },
  metadata: () => started().metadata(),
};

expose(api);
