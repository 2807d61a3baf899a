// Compile worker entry: transpiles components and instruments core modules off the main thread.
import { expose } from 'comlink';
import type { ExploreCompileApi } from '../shared/explore-protocol.ts';
import type { CompileWorkerApi } from '../shared/protocol.ts';
import { lockDown } from '../worker/lockdown.ts';
import { explore } from './explore.ts';
import { instrument } from './instrument.ts';
import { inspect } from './transpile.ts';

// jco's own wasm is already on its way: its modules start fetching it when they are
// evaluated, and imports are evaluated before this line. Nothing here needs fetch again.
lockDown();

const api: CompileWorkerApi & ExploreCompileApi = { inspect, instrument, explore };

expose(api);
