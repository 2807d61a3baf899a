// Compile worker entry: transpiles components off the main thread.
import { expose } from 'comlink';
import type { CompileWorkerApi } from '../shared/protocol.ts';
import { inspect } from './transpile.ts';

const api: CompileWorkerApi = { inspect };

expose(api);
