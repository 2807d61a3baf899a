// Plugin worker entry: one per enabled plugin. A sandbox with a pipe; the logic is in runtime.ts.
import { expose, wrap } from 'comlink';
import type { HostPortApi, PluginWorkerApi } from '../shared/protocol.ts';
import { lockDown } from './lockdown.ts';
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
    runtime = await PluginRuntime.start(init, wrap<HostPortApi>(init.hostPort));
    return { instantiateMs: performance.now() - began };
  },
  metadata: () => started().metadata(),
  onEvent: (event) => started().onEvent(event),
};

expose(api);
