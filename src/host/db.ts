// The playground's IndexedDB schema. Versioned: each upgrade step runs once, in order.
import { openDB, type DBSchema, type IDBPDatabase, type IDBPTransaction, type StoreNames } from 'idb';
import type { Profile } from '../shared/contract.ts';
import { EVENTS_LOG_ROW_ENTRIES } from '../shared/limits.ts';
import type { Manifest } from '../shared/manifest.ts';
import type { PluginInfo, Transpiled } from '../shared/protocol.ts';
import type { WitWorld } from '../shared/wit/model.ts';
import { seedCatalog, type Playlist, type Track, type User } from './catalog-data.ts';

export interface PluginRecord {
  /** The manifest's plugin.name: the plugin's identity, unique in this playground. */
  id: string;
  profile: Profile;
  manifestText: string;
  /** The normalised manifest; always valid (invalid text is never saved). */
  manifest: Manifest;
  /** True while the manifest is the one drafted from metadata() and not yet edited. */
  draft: boolean;
  /** Warnings from the manifest (unknown keys, ...). */
  warnings: string[];
  /** The permissions the user approved; undefined until the first review. */
  approved?: Manifest['permissions'];
  /** Whether the approval covered a scripted UI panel ([ui] enabled). */
  approvedPanel?: boolean;
  /** What the component says about itself (metadata() or get-info()). */
  info: PluginInfo;
  /** The UI page of a plugin with `[ui] enabled`. */
  ui?: { entry: string; html: string };
  /** Something to tell the user on the plugin's card, e.g. that it needs a new review. */
  notice?: string;
  fileName: string;
  /** SHA-256 of the component bytes, hex. */
  sha256: string;
  /** `WebAssembly.Module` cannot be stored in IndexedDB: the component's bytes are. */
  bytes: Uint8Array;
  size: number;
  wit: string;
  imports: string[];
  exports: string[];
  enabled: boolean;
  /** Position in load order; dispatch follows it. */
  order: number;
  source: 'upload' | 'sample';
  installedAt: number;
  updatedAt: number;
}

/**
 * What a plugin file becomes in the compile worker before the page compiles it: a component's
 * transpiled output with its core modules instrumented for fuel, or a SoundTime module
 * instrumented (its one file in `transpiled.files`; nothing transpiled, no WIT).
 */
export interface TranspileCacheEntry {
  key: string;
  sha256: string;
  transpiled: Transpiled;
  wit: string;
  transpileMs: number;
  /** Instrumenting every core module to count fuel (absent in entries from before fuel was counted). */
  instrumentMs?: number;
  createdAt: number;
  /** As stored: the files kept in the entry's TranspileCachePart instead (absent in entries stored whole). */
  apart?: string[];
  /** As stored: the core modules, kept as Blobs (IndexedDB reads a Blob back faster than bytes). */
  blobs?: Record<string, Blob>;
  /** As stored: how many bytes of each Blob are its module's head (the sections before its code; see headLength). */
  heads?: Record<string, number>;
}

/**
 * An entry's generated JavaScript, stored as a record of its own (see cache-layout.ts): read
 * first, it reaches the plugin worker while the page still reads and compiles the core modules.
 * Blobs; parts stored by earlier versions hold bytes.
 */
export interface TranspileCachePart {
  key: string;
  sha256: string;
  files: Record<string, Blob | Uint8Array>;
}

/** One call into a plugin, as SoundTime's `plugin_events_log` records it. */
export interface EventsLogEntry {
  /** Only in the rows of schema version 2 and 3, one per entry (see eventsLogBatches). */
  id?: number;
  pluginId: string;
  event: string;
  payload: unknown;
  result: 'success' | 'error' | 'timeout' | 'killed';
  executionMs: number;
  error?: string;
  /** Fuel the call used; absent when its worker was terminated, and in entries from before fuel was counted. */
  fuel?: number;
  /** Milliseconds since the epoch. */
  time: number;
}

/** A component opened in the Explore view: not a plugin, kept until the user removes it. */
export interface ExploredRecord {
  /** SHA-256 of the component bytes, hex: the same file dropped again opens this record. */
  id: string;
  fileName: string;
  bytes: Uint8Array;
  size: number;
  /** Its whole WIT and the type model read from it. */
  wit: string;
  world: WitWorld;
  transpiled: Transpiled;
  /** The transpiler that produced `transpiled`; another version transpiles again. */
  transpiler: string;
  /** What the user set for stubbed imports, as typed (JSON), by `<interface>#<function>`. */
  stubs: Record<string, string>;
  addedAt: number;
}

export interface ConfigEntry {
  pluginId: string;
  key: string;
  value: string;
}

/** Calls into one plugin written to the events log together, oldest first (see EVENTS_LOG_ROW_ENTRIES). */
export interface EventsLogBatch {
  id?: number;
  pluginId: string;
  entries: EventsLogEntry[];
}

export interface PlaygroundSchema extends DBSchema {
  plugins: { key: string; value: PluginRecord };
  transpileCache: { key: string; value: TranspileCacheEntry | TranspileCachePart; indexes: { bySha: string } };
  config: { key: [string, string]; value: ConfigEntry; indexes: { byPlugin: string } };
  tracks: { key: string; value: Track };
  users: { key: string; value: User };
  playlists: { key: string; value: Playlist };
  settings: { key: string; value: unknown };
  /** Schema versions 2 and 3 only: one row per call. Version 4 moves them into eventsLogBatches. */
  eventsLog: { key: number; value: EventsLogEntry; indexes: { byPlugin: string } };
  /** The events log: each row holds one plugin's calls of one write, oldest first; ids grow. */
  eventsLogBatches: { key: number; value: EventsLogBatch; indexes: { byPlugin: string } };
  /** How many calls of each plugin the events log holds, kept in the same transactions as the rows. */
  eventsLogCounts: { key: string; value: number };
  explored: { key: string; value: ExploredRecord };
}

export type PlaygroundDB = IDBPDatabase<PlaygroundSchema>;

export const DB_NAME = 'plugin-playground';
const DB_VERSION = 4;

/** What other tabs and the browser do to this tab's connection (IndexedDB's version changes). */
export interface ConnectionEvents {
  /** This tab's upgrade waits until a tab open on an older version closes or reloads. */
  blocked?(): void;
  /** A tab of a newer version needs the database: told just before this connection closes for it. */
  superseded?(): void;
  /** The browser closed the connection itself (storage cleared, or a disk error). */
  terminated?(): void;
}

export async function openPlaygroundDB(name = DB_NAME, events: ConnectionEvents = {}): Promise<PlaygroundDB> {
  // Left open, this connection would keep a newer version's tab waiting until this one closed.
  const db: PlaygroundDB = await openDB<PlaygroundSchema>(name, DB_VERSION, {
    blocked: () => events.blocked?.(),
    blocking: () => {
      events.superseded?.();
      db.close();
    },
    terminated: () => events.terminated?.(),
    upgrade(db, oldVersion, _newVersion, tx) {
      if (oldVersion < 1) {
        db.createObjectStore('plugins', { keyPath: 'id' });
        db.createObjectStore('transpileCache', { keyPath: 'key' }).createIndex('bySha', 'sha256');
        db.createObjectStore('config', { keyPath: ['pluginId', 'key'] }).createIndex('byPlugin', 'pluginId');
        db.createObjectStore('tracks', { keyPath: 'id' });
        db.createObjectStore('users', { keyPath: 'id' });
        db.createObjectStore('playlists', { keyPath: 'id' });
        db.createObjectStore('settings');
        const seed = seedCatalog(Date.now());
        for (const track of seed.tracks) void tx.objectStore('tracks').put(track);
        for (const user of seed.users) void tx.objectStore('users').put(user);
      }
      // Version 2's events log (a row per call) is made by version 4 in its own shape.
      if (oldVersion < 3) {
        db.createObjectStore('explored', { keyPath: 'id' });
      }
      if (oldVersion < 4) {
        db.createObjectStore('eventsLogBatches', { keyPath: 'id', autoIncrement: true }).createIndex('byPlugin', 'pluginId');
        db.createObjectStore('eventsLogCounts');
        if (oldVersion >= 2) void moveEventsLogRows(db, tx);
      }
    },
  });
  return db;
}

/**
 * Version 4: the rows of the per-call events log become rows of up to EVENTS_LOG_ROW_ENTRIES
 * consecutive calls of one plugin, in the same order, and the old store goes.
 */
async function moveEventsLogRows(
  db: IDBPDatabase<PlaygroundSchema>,
  tx: IDBPTransaction<PlaygroundSchema, StoreNames<PlaygroundSchema>[], 'versionchange'>,
): Promise<void> {
  const rows = await tx.objectStore('eventsLog').getAll();
  const batches: EventsLogBatch[] = [];
  const counts = new Map<string, number>();
  for (const { id: _id, ...entry } of rows) {
    const last = batches.at(-1);
    if (last && last.pluginId === entry.pluginId && last.entries.length < EVENTS_LOG_ROW_ENTRIES) last.entries.push(entry);
    else batches.push({ pluginId: entry.pluginId, entries: [entry] });
    counts.set(entry.pluginId, (counts.get(entry.pluginId) ?? 0) + 1);
  }
  await Promise.all([
    ...batches.map((batch) => tx.objectStore('eventsLogBatches').add(batch)),
    ...[...counts].map(([pluginId, count]) => tx.objectStore('eventsLogCounts').put(count, pluginId)),
  ]);
  db.deleteObjectStore('eventsLog');
}

/** Turns a storage failure into a sentence: quota errors say what to do. */
export function storageErrorMessage(e: unknown, what: string): string {
  const name = e instanceof DOMException ? e.name : '';
  if (name === 'QuotaExceededError') {
    return `Could not save ${what}: the browser's storage for this site is full. Remove plugins you no longer need, or free space in the browser's site settings. Nothing already saved was lost.`;
  }
  return `Could not save ${what}: ${e instanceof Error ? e.message : String(e)}. Nothing already saved was lost.`;
}
