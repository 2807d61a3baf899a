// Compile worker entry: transpiles components off the main thread.
import { expose } from 'comlink';
import type { ExploreCompileApi } from '../shared/explore-protocol.ts';
import type { CompileWorkerApi } from '../shared/protocol.ts';
import { explore } from './explore.ts';
import { inspect } from './transpile.ts';

const api: CompileWorkerApi & ExploreCompileApi = { inspect, explore };

expose(api);
