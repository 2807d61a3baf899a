// Compile worker entry: transpiles components and instruments core modules off the main thread.
import { expose } from 'comlink';
import type { CompileWorkerApi } from '../shared/protocol.ts';
import { instrument } from './instrument.ts';
import { inspect } from './transpile.ts';

const api: CompileWorkerApi = { inspect, instrument };

expose(api);
