// Transpiles components in the compile worker, with the output cached in IndexedDB by the
// component's SHA-256, the transpiler version and the options, so a known component starts
// without transpiling.
import { wrap, type Remote } from 'comlink';
import { PLUGIN_TRANSPILE_OPTIONS } from '../shared/contract.ts';
import type { CompileWorkerApi } from '../shared/protocol.ts';
import type { PlaygroundDB, TranspileCacheEntry } from './db.ts';

export async function sha256Hex(bytes: Uint8Array | string): Promise<string> {
  const data = typeof bytes === 'string' ? new TextEncoder().encode(bytes) : bytes;
  const digest = await crypto.subtle.digest('SHA-256', data as BufferSource);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

export interface Compiled {
  entry: TranspileCacheEntry;
  /** True when the output came from the cache and no transpilation ran. */
  cached: boolean;
}

export class Compiler {
  private api?: Remote<CompileWorkerApi>;
  private optionsKey?: Promise<string>;

  constructor(private readonly db: PlaygroundDB) {}

  private worker(): Remote<CompileWorkerApi> {
    this.api ??= wrap<CompileWorkerApi>(new Worker(new URL('../compile/compile-worker.ts', import.meta.url), { type: 'module', name: 'compile' }));
    return this.api;
  }

  async cacheKey(sha256: string): Promise<string> {
    this.optionsKey ??= sha256Hex(JSON.stringify(PLUGIN_TRANSPILE_OPTIONS)).then((h) => h.slice(0, 16));
    return `${sha256}|jco-transpile@${__TRANSPILER_VERSION__}|${await this.optionsKey}`;
  }

  /** The transpiled component, from the cache when possible. Throws the transpiler's message on bad input. */
  async compile(sha256: string, bytes: Uint8Array): Promise<Compiled> {
    const key = await this.cacheKey(sha256);
    const hit = await this.db.get('transpileCache', key);
    if (hit) return { entry: hit, cached: true };
    const inspection = await this.worker().inspect(bytes, PLUGIN_TRANSPILE_OPTIONS);
    const entry: TranspileCacheEntry = {
      key,
      sha256,
      transpiled: inspection.transpiled,
      wit: inspection.wit,
      transpileMs: inspection.transpileMs,
      createdAt: Date.now(),
    };
    try {
      await this.db.put('transpileCache', entry);
    } catch {
      // A full disk only costs a later re-transpile; the plugin still runs.
    }
    return { entry, cached: false };
  }

  async forget(sha256: string): Promise<void> {
    const tx = this.db.transaction('transpileCache', 'readwrite');
    for (const key of await tx.store.index('bySha').getAllKeys(sha256)) await tx.store.delete(key);
    await tx.done;
  }
}
