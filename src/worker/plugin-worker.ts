// Plugin worker entry: one per enabled plugin. A sandbox with a pipe; the logic is in runtime.ts.
import { expose } from 'comlink';
import type { PluginWorkerApi } from '../shared/protocol.ts';
import { lockDown } from './lockdown.ts';
import { PagePort } from './page-port.ts';
import { PluginRuntime } from './runtime.ts';

// Before any guest code loads: no fetch, sockets, storage or nested workers in here.
lockDown();

let runtime: PluginRuntime | undefined;

function started(): PluginRuntime {
  if (!runtime) throw new Error('the plugin has not been started');
  return runtime;
}

const api: PluginWorkerApi = {
  async start(init) {
    const began = performance.now();
    const page = new PagePort(init.hostPort);
    const started = await PluginRuntime.start(init, page);
    runtime = started;
    page.serve((event) => started.onEvent(event));
    return { instantiateMs: performance.now() - began };
  },
  metadata: () => started().metadata(),
};

expose(api);
