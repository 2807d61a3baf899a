// Explore worker entry: one per explored component. A sandbox like a plugin's; the logic is in explore-runtime.ts.
import { expose } from 'comlink';
import type { ExploreWorkerApi } from '../shared/explore-protocol.ts';
import { ExploreRuntime } from './explore-runtime.ts';
import { lockDown } from './lockdown.ts';

// Before any guest code loads: no fetch, sockets, storage or nested workers in here.
lockDown();

let runtime: ExploreRuntime | undefined;

function started(): ExploreRuntime {
  if (!runtime) throw new Error('the component has not been started');
  return runtime;
}

const api: ExploreWorkerApi = {
  async start(init) {
    const began = performance.now();
    runtime = await ExploreRuntime.start(init);
    return { instantiateMs: performance.now() - began };
  },
  call: async (key, args) => started().call(key, args),
  setStub: (key, value) => started().setStub(key, value),
};

expose(api);
