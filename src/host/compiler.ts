// Prepares plugin files in the compile worker, cached in IndexedDB so a known file starts without
// that work: a component is transpiled and its core modules instrumented to count fuel (keyed by
// the component's SHA-256, the transpiler version, the options and the instrumenter's cache key);
// a SoundTime module is instrumented (keyed by its SHA-256 and the instrumenter's cache key).
import { wrap, type Remote } from 'comlink';
import { PLUGIN_TRANSPILE_OPTIONS } from '../shared/contract.ts';
import { FUEL_CACHE_KEY } from '../shared/fuel.ts';
import type { CompileWorkerApi, Instrumented } from '../shared/protocol.ts';
import type { PlaygroundDB, TranspileCacheEntry } from './db.ts';

export async function sha256Hex(bytes: Uint8Array | string): Promise<string> {
  const data = typeof bytes === 'string' ? new TextEncoder().encode(bytes) : bytes;
  const digest = await crypto.subtle.digest('SHA-256', data as BufferSource);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

export interface Compiled {
  entry: TranspileCacheEntry;
  /** True when the output came from the cache and nothing ran in the compile worker. */
  cached: boolean;
}

/** The one module of a SoundTime entry, by this name in `transpiled.files`. */
export const MODULE_FILE = 'module.wasm';

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
    return `${sha256}|jco-transpile@${__TRANSPILER_VERSION__}|${await this.optionsKey}|${FUEL_CACHE_KEY}`;
  }

  /** The cached entry under `key`, or the one `make` builds (then stored; a full disk only costs a redo). */
  private async cached(key: string, make: () => Promise<TranspileCacheEntry>): Promise<Compiled> {
    const hit = await this.db.get('transpileCache', key);
    if (hit) return { entry: hit, cached: true };
    const entry = await make();
    try {
      await this.db.put('transpileCache', entry);
    } catch {
      // A full disk only costs a later re-transpile; the plugin still runs.
    }
    return { entry, cached: false };
  }

  /** The transpiled component with its core modules instrumented. Throws the transpiler's message on bad input. */
  async compile(sha256: string, bytes: Uint8Array): Promise<Compiled> {
    return this.cached(await this.cacheKey(sha256), async () => {
      const inspection = await this.worker().inspect(bytes, PLUGIN_TRANSPILE_OPTIONS);
      const { files } = inspection.transpiled;
      const wasm = Object.fromEntries(Object.entries(files).filter(([name]) => name.endsWith('.wasm')));
      const { modules, instrumentMs } = await this.instrument(wasm, false);
      return {
        key: await this.cacheKey(sha256),
        sha256,
        transpiled: { ...inspection.transpiled, files: { ...files, ...modules } },
        wit: inspection.wit,
        transpileMs: inspection.transpileMs,
        instrumentMs,
        createdAt: Date.now(),
      };
    });
  }

  /** A SoundTime module instrumented, its counter exported for Extism (MODULE_FILE in the entry's files). */
  async instrumentModule(sha256: string, bytes: Uint8Array): Promise<Compiled> {
    const key = `${sha256}|module|${FUEL_CACHE_KEY}|export`;
    return this.cached(key, async () => {
      const { modules, instrumentMs } = await this.instrument({ [MODULE_FILE]: bytes }, true);
      return { key, sha256, transpiled: { files: modules, imports: [], exports: [] }, wit: '', transpileMs: 0, instrumentMs, createdAt: Date.now() };
    });
  }

  private instrument(modules: Record<string, Uint8Array>, exportCounter: boolean): Promise<Instrumented> {
    return this.worker().instrument(modules, { exportCounter });
  }

  async forget(sha256: string): Promise<void> {
    const tx = this.db.transaction('transpileCache', 'readwrite');
    for (const key of await tx.store.index('bySha').getAllKeys(sha256)) await tx.store.delete(key);
    await tx.done;
  }
}
