// Prepares plugin files in the compile worker, cached in IndexedDB so a known file starts without
// that work: a component is transpiled and its core modules instrumented to count fuel (keyed by
// the component's SHA-256, the transpiler version, the options and the instrumenter's cache key);
// a SoundTime module is instrumented (keyed by its SHA-256 and the instrumenter's cache key).
// An entry's generated JavaScript is stored as a record of its own: it is a fifth of the bytes,
// read in a few milliseconds, so a start hands it to the plugin worker (which spends tens of
// milliseconds importing it) while the core modules are still being read and compiled. The core
// modules are stored as Blobs, which Chromium's IndexedDB reads back in two thirds of the time
// the same bytes take as a Uint8Array, each with the length of its head (the sections before its
// code): a start reads only the heads into memory, to cap their memories, and streams the rest of
// each Blob into the compiler.
import { wrap, type Remote } from 'comlink';
import { PLUGIN_TRANSPILE_OPTIONS } from '../shared/contract.ts';
import { FUEL_CACHE_KEY } from '../shared/fuel.ts';
import type { CompileWorkerApi, Instrumented } from '../shared/protocol.ts';
import { headLength } from '../shared/wasm-memory.ts';
import type { PlaygroundDB, TranspileCacheEntry, TranspileCachePart } from './db.ts';

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

/**
 * A core module as a start takes it: its head in memory (all of it, when it is not stored
 * apart), and `rest`, when the module was read from the cache, still a Blob.
 */
export interface CoreModule {
  head: Uint8Array;
  rest?: Blob;
}

/** An entry whose core modules are in `modules`, not in `transpiled.files`. */
export interface CompiledParts {
  entry: TranspileCacheEntry;
  modules: Record<string, CoreModule>;
  cached: boolean;
}

/** The one module of a SoundTime entry, by this name in `transpiled.files`. */
export const MODULE_FILE = 'module.wasm';

/** Called with an entry's JavaScript files as soon as they are read, before the rest arrives. */
export type EarlyFiles = (files: Record<string, Uint8Array>) => void;

const partKey = (key: string) => `${key}|js`;
const isJs = (name: string) => name.endsWith('.js');
const isWasm = (name: string) => name.endsWith('.wasm');

/** Where a module's head ends; undefined (read whole) for bytes the parser does not take. */
function headOf(bytes: Uint8Array): number | undefined {
  try {
    return headLength(bytes);
  } catch {
    return undefined;
  }
}

/** The entry as stored: its JavaScript apart, when it has any, and its core modules as Blobs. */
function split(entry: TranspileCacheEntry): [TranspileCacheEntry, TranspileCachePart?] {
  const files = Object.entries(entry.transpiled.files);
  const js = files.filter(([name]) => isJs(name));
  const wasm = files.filter(([name]) => isWasm(name));
  const rest = files.filter(([name]) => !isJs(name) && !isWasm(name));
  const stored: TranspileCacheEntry = {
    ...entry,
    transpiled: { ...entry.transpiled, files: Object.fromEntries(rest) },
    blobs: Object.fromEntries(wasm.map(([name, bytes]) => [name, new Blob([bytes as BlobPart])])),
    heads: Object.fromEntries(
      wasm.flatMap(([name, bytes]) => {
        const head = headOf(bytes);
        return head === undefined ? [] : [[name, head] as const];
      }),
    ),
  };
  if (js.length === 0) return [stored];
  return [
    { ...stored, apart: js.map(([name]) => name) },
    { key: partKey(entry.key), sha256: entry.sha256, files: Object.fromEntries(js) },
  ];
}

/**
 * Reads a stored module's head, and the rest as a Blob still; all of it when it was stored
 * without a head. The stored length is only a hint: the head is taken when the bytes read say it
 * ends there (whole sections, the code section next), else the module is read whole, so the
 * memory cap always sees every section that declares a memory. Rejects when the Blob is unreadable.
 */
async function readModule(blob: Blob, head?: number): Promise<CoreModule> {
  if (head !== undefined && head > 0 && head < blob.size) {
    const bytes = new Uint8Array(await blob.slice(0, head + 1).arrayBuffer());
    if (headOf(bytes) === head) return { head: bytes.subarray(0, head), rest: blob.slice(head) };
  }
  return { head: new Uint8Array(await blob.arrayBuffer()) };
}

/** The entry as it was before `split`, but its core modules apart, each head read back (in parallel). */
async function joined(stored: TranspileCacheEntry, part?: TranspileCachePart): Promise<CompiledParts> {
  const { apart: _, blobs = {}, heads = {}, ...entry } = stored;
  const files = { ...entry.transpiled.files, ...part?.files };
  // An entry stored whole holds its modules as bytes among its files.
  const modules: Record<string, CoreModule> = Object.fromEntries(
    Object.entries(files)
      .filter(([name]) => isWasm(name))
      .map(([name, head]) => [name, { head }]),
  );
  for (const [name, module] of await Promise.all(Object.entries(blobs).map(async ([name, blob]) => [name, await readModule(blob, heads[name])] as const))) {
    modules[name] = module;
  }
  const rest = Object.fromEntries(Object.entries(files).filter(([name]) => !isWasm(name)));
  return { entry: { ...entry, transpiled: { ...entry.transpiled, files: rest } }, modules, cached: true };
}

/** The entry with its core modules in `files`: every module read whole. */
async function whole({ entry, modules, cached }: CompiledParts): Promise<Compiled> {
  const bytes = await Promise.all(
    Object.entries(modules).map(
      async ([name, { head, rest }]) => [name, rest ? new Uint8Array(await new Blob([head as BlobPart, rest]).arrayBuffer()) : head] as const,
    ),
  );
  return { entry: { ...entry, transpiled: { ...entry.transpiled, files: { ...entry.transpiled.files, ...Object.fromEntries(bytes) } } }, cached };
}

/** A fresh entry as parts: its modules whole, as bytes. */
function parts(entry: TranspileCacheEntry, cached: boolean): CompiledParts {
  const files = Object.entries(entry.transpiled.files);
  return {
    entry: { ...entry, transpiled: { ...entry.transpiled, files: Object.fromEntries(files.filter(([name]) => !isWasm(name))) } },
    modules: Object.fromEntries(files.filter(([name]) => isWasm(name)).map(([name, head]) => [name, { head }])),
    cached,
  };
}

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
        const part = value && !isEntry(value) ? value : undefined;
        if (part) early?.(part.files);
        return part;
      }),
      this.db.get('transpileCache', key),
    ]);
    // An entry stored whole (before its JavaScript was kept apart) is complete as it is; one
    // whose part is missing is made again.
    if (isEntry(hit) && (hit.apart ?? []).every((name) => part?.files[name])) {
      try {
        return await joined(hit, part);
      } catch {
        // A Blob the browser can no longer read (its file gone from the profile): made again.
      }
    }
    const entry = await make();
    try {
      const [rest, js] = split(entry);
      // One transaction: the two records are stored together or not at all.
      const tx = this.db.transaction('transpileCache', 'readwrite');
      await Promise.all([tx.store.put(rest), js && tx.store.put(js), tx.done]);
    } catch {
      // A full disk only costs a later re-transpile; the plugin still runs.
    }
    return parts(entry, false);
  }

  /** The transpiled component with its core modules instrumented. Throws the transpiler's message on bad input. */
  async compile(sha256: string, bytes: Uint8Array, early?: EarlyFiles): Promise<Compiled> {
    return whole(await this.compileParts(sha256, bytes, early));
  }

  /** `compile`, the core modules apart and, when read from the cache, only their heads in memory. */
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
    return whole(
      await this.cached(key, async () => {
        const { modules, instrumentMs } = await this.instrument({ [MODULE_FILE]: bytes }, true);
        return { key, sha256, transpiled: { files: modules, imports: [], exports: [] }, wit: '', transpileMs: 0, instrumentMs, createdAt: Date.now() };
      }),
    );
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
