// Prepares plugin files in the compile worker, cached in IndexedDB so a known file starts without
// that work: a component is transpiled and its core modules instrumented to count fuel (keyed by
// the component's SHA-256, the transpiler version, the options and the instrumenter's cache key);
// a SoundTime module is instrumented (keyed by its SHA-256 and the instrumenter's cache key).
// How an entry is stored and read back is cache-layout.ts.
import { wrap, type Remote } from 'comlink';
import { PLUGIN_TRANSPILE_OPTIONS } from '../shared/contract.ts';
import { FUEL_CACHE_KEY } from '../shared/fuel.ts';
import type { CompileWorkerApi, Instrumented } from '../shared/protocol.ts';
import { isWasm, joined, partKey, parts, scriptsOf, split, whole, type CompiledParts } from './cache-layout.ts';
import type { PlaygroundDB, TranspileCacheEntry, TranspileCachePart } from './db.ts';

export type { CompiledParts, CoreModule } from './cache-layout.ts';

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

/** Called with an entry's JavaScript as soon as it is read, before the rest arrives. */
export type EarlyFiles = (scripts: Record<string, Blob>) => void;

const isEntry = (value: TranspileCacheEntry | TranspileCachePart | undefined): value is TranspileCacheEntry => value !== undefined && 'transpiled' in value;

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
  private async cached(key: string, make: () => Promise<TranspileCacheEntry>, early?: EarlyFiles): Promise<CompiledParts> {
    // Two reads at once, the small one asked first (IndexedDB answers in the order it is asked):
    // its JavaScript is handed on while the core modules are still being read.
    const [part, hit] = await Promise.all([
      this.db.get('transpileCache', partKey(key)).then((value) => {
        if (!value || isEntry(value)) return undefined;
        const scripts = scriptsOf(value);
        early?.(scripts);
        return { files: value.files, scripts };
      }),
      this.db.get('transpileCache', key),
    ]);
    // An entry stored whole (before its JavaScript was kept apart) is complete as it is; one
    // whose part is missing is made again.
    if (isEntry(hit) && (hit.apart ?? []).every((name) => part?.files[name])) {
      try {
        return await joined(hit, part?.scripts);
      } catch {
        // A Blob the browser can no longer read (its file gone from the profile): made again.
      }
    }
    const entry = await make();
    try {
      const [rest, js] = split(entry);
      // One transaction: the two records are stored together or not at all, and what an earlier
      // transpiler, option set or instrumenter made of the same file goes, so a version change
      // does not leave every installed plugin's old output in the profile.
      const tx = this.db.transaction('transpileCache', 'readwrite');
      const current = new Set([rest.key, partKey(rest.key)]);
      const stale = (await tx.store.index('bySha').getAllKeys(entry.sha256)).filter((k) => !current.has(k));
      await Promise.all([tx.store.put(rest), js && tx.store.put(js), ...stale.map((k) => tx.store.delete(k)), tx.done]);
    } catch {
      // A full disk only costs a later re-transpile; the plugin still runs.
    }
    return parts(entry);
  }

  /** The transpiled component with its core modules instrumented. Throws the transpiler's message on bad input. */
  async compile(sha256: string, bytes: Uint8Array): Promise<Compiled> {
    const compiled = await this.compileParts(sha256, bytes);
    return { entry: await whole(compiled), cached: compiled.cached };
  }

  /** `compile` in parts: the JavaScript as Blobs, the core modules apart and, when read from the cache, only their heads in memory. */
  async compileParts(sha256: string, bytes: Uint8Array, early?: EarlyFiles): Promise<CompiledParts> {
    return this.cached(
      await this.cacheKey(sha256),
      async () => {
        const inspection = await this.worker().inspect(bytes, PLUGIN_TRANSPILE_OPTIONS);
        const { files } = inspection.transpiled;
        const wasm = Object.fromEntries(Object.entries(files).filter(([name]) => isWasm(name)));
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
      },
      early,
    );
  }

  /** A SoundTime module instrumented, its counter exported for Extism (MODULE_FILE in the entry's files). */
  async instrumentModule(sha256: string, bytes: Uint8Array): Promise<Compiled> {
    const key = `${sha256}|module|${FUEL_CACHE_KEY}|export`;
    const compiled = await this.cached(key, async () => {
      const { modules, instrumentMs } = await this.instrument({ [MODULE_FILE]: bytes }, true);
      return { key, sha256, transpiled: { files: modules, imports: [], exports: [] }, wit: '', transpileMs: 0, instrumentMs, createdAt: Date.now() };
    });
    return { entry: await whole(compiled), cached: compiled.cached };
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
