// How a transpile cache entry is laid out in IndexedDB, and read back for a start. The generated
// JavaScript is a record of its own (read first, it reaches the plugin worker while the core
// modules are still being read and compiled) and a Blob, which the page hands on without reading:
// the worker imports it from its own blob: URL. The core modules are Blobs too (Chromium's
// IndexedDB reads a Blob back in two thirds of the time the same bytes take as a Uint8Array),
// each with the length of its head (the sections before its code): for a big module a start
// reads only the head into memory, to cap its memories, and streams the rest into the compiler.
// Entries stored whole by earlier versions, their files as bytes, are read as they are.
import { headLength } from '../shared/wasm-memory.ts';
import type { TranspileCacheEntry, TranspileCachePart } from './db.ts';

/** The MIME type a module script needs to be imported from a blob: URL. */
export const SCRIPT_TYPE = 'text/javascript';

/**
 * A core module as a start takes it: its head in memory (all of it, when it is not stored
 * apart), and `rest`, when the module was read from the cache, still a Blob.
 */
export interface CoreModule {
  head: Uint8Array;
  rest?: Blob;
}

/** An entry with its JavaScript in `scripts` and its core modules in `modules`, not in `transpiled.files`. */
export interface CompiledParts {
  entry: TranspileCacheEntry;
  scripts: Record<string, Blob>;
  modules: Record<string, CoreModule>;
  cached: boolean;
}

export const partKey = (key: string) => `${key}|js`;
export const isJs = (name: string) => name.endsWith('.js');
export const isWasm = (name: string) => name.endsWith('.wasm');

const script = (file: Uint8Array | Blob) => (file instanceof Blob && file.type === SCRIPT_TYPE ? file : new Blob([file as BlobPart], { type: SCRIPT_TYPE }));

/** Where a module's head ends; undefined (read whole) for bytes the parser does not take. */
function headOf(bytes: Uint8Array): number | undefined {
  try {
    return headLength(bytes);
  } catch {
    return undefined;
  }
}

/** The entry as stored: its JavaScript apart, when it has any, and its files as Blobs. */
export function split(entry: TranspileCacheEntry): [TranspileCacheEntry, TranspileCachePart?] {
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
    { key: partKey(entry.key), sha256: entry.sha256, files: Object.fromEntries(js.map(([name, bytes]) => [name, script(bytes)])) },
  ];
}

/** The JavaScript files of a part, as scripts (a part stored by an earlier version holds bytes). */
export function scriptsOf(part: TranspileCachePart): Record<string, Blob> {
  return Object.fromEntries(Object.entries(part.files).map(([name, file]) => [name, script(file)]));
}

/**
 * Modules smaller than this are read whole: a head read and a streamed compile cost more than
 * they save below it. Measured in Chromium on the nine core modules of a QuickJS component
 * (one of 1.35 MB, one of 247 KB, seven under 13 KB), read from IndexedDB and compiled: all read
 * whole 21 ms, all streamed 33 ms, only the 1.35 MB one streamed 18 ms.
 */
const STREAMED_MIN_BYTES = 512 * 1024;

/**
 * Reads a stored module's head, and the rest as a Blob still, when the module is big enough to
 * be worth streaming (else all of it, as when it was stored without a head). The stored length
 * is only a hint: the head is taken when the bytes read say it ends there (whole sections, the
 * code section next), else the module is read whole, so the memory cap always sees every
 * section that declares a memory. Rejects when the Blob is unreadable.
 */
async function readModule(blob: Blob, head?: number): Promise<CoreModule> {
  if (head !== undefined && head > 0 && head < blob.size && blob.size >= STREAMED_MIN_BYTES) {
    const bytes = new Uint8Array(await blob.slice(0, head + 1).arrayBuffer());
    if (headOf(bytes) === head) return { head: bytes.subarray(0, head), rest: blob.slice(head) };
  }
  return { head: new Uint8Array(await blob.arrayBuffer()) };
}

/** Files as parts: JavaScript as scripts, modules as given, the rest left in `files`. */
function sorted(entry: TranspileCacheEntry, files: Record<string, Uint8Array>, scripts: Record<string, Blob>, modules: Record<string, CoreModule>) {
  for (const [name, file] of Object.entries(files)) {
    if (isJs(name)) scripts[name] ??= script(file);
    else if (isWasm(name)) modules[name] ??= { head: file };
  }
  const rest = Object.fromEntries(Object.entries(files).filter(([name]) => !isJs(name) && !isWasm(name)));
  return { entry: { ...entry, transpiled: { ...entry.transpiled, files: rest } }, scripts, modules };
}

/**
 * The entry as it was before `split`, in parts (`scripts`: its part's, see scriptsOf), each
 * module's head read back (in parallel).
 * Rejects when a Blob can no longer be read (its file gone from the browser's profile), scripts
 * included: the page hands those on unread, so one byte of each is read here, where a failure
 * still means making the entry again rather than a start that fails every time.
 */
export async function joined(stored: TranspileCacheEntry, scripts: Record<string, Blob> = {}): Promise<CompiledParts> {
  const { apart: _, blobs = {}, heads = {}, ...entry } = stored;
  const [read] = await Promise.all([
    Promise.all(Object.entries(blobs).map(async ([name, blob]) => [name, await readModule(blob, heads[name])] as const)),
    Promise.all(Object.values(scripts).map((blob) => blob.slice(0, 1).arrayBuffer())),
  ]);
  return { ...sorted(entry, entry.transpiled.files, scripts, Object.fromEntries(read)), cached: true };
}

/** A fresh entry in parts: its modules whole, as bytes. */
export function parts(entry: TranspileCacheEntry): CompiledParts {
  return { ...sorted(entry, entry.transpiled.files, {}, {}), cached: false };
}

/** The entry with every file back in `files`, as bytes: each script and module read whole. */
export async function whole({ entry, scripts, modules }: CompiledParts): Promise<TranspileCacheEntry> {
  const bytes = async (blob: Blob) => new Uint8Array(await blob.arrayBuffer());
  const files = await Promise.all([
    ...Object.entries(scripts).map(async ([name, blob]) => [name, await bytes(blob)] as const),
    ...Object.entries(modules).map(async ([name, { head, rest }]) => [name, rest ? await bytes(new Blob([head as BlobPart, rest])) : head] as const),
  ]);
  return { ...entry, transpiled: { ...entry.transpiled, files: { ...entry.transpiled.files, ...Object.fromEntries(files) } } };
}
