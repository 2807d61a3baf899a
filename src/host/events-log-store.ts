// How the events log lies in IndexedDB: rows of up to EVENTS_LOG_ROW_ENTRIES calls of one
// plugin (eventsLogBatches, oldest first, ids growing), and each plugin's count of calls
// (eventsLogCounts), changed in the same transaction as the rows, so the log's size is known
// without reading it. events-log.ts queues and batches; this file reads and writes.
import { EVENTS_LOG_ROW_ENTRIES } from '../shared/limits.ts';
import type { IDBPTransaction } from 'idb';
import type { EventsLogBatch, EventsLogEntry, PlaygroundDB, PlaygroundSchema } from './db.ts';

const STORES: ['eventsLogBatches', 'eventsLogCounts'] = ['eventsLogBatches', 'eventsLogCounts'];

/** When over capacity, prune down to this share of it, so a flood prunes once per many writes. */
const PRUNE_TO = 0.9;

/** How many calls to drop, oldest first, so `count` fits `capacity` with room to spare. */
export function pruneCount(count: number, capacity: number): number {
  return count > capacity ? count - Math.floor(capacity * PRUNE_TO) : 0;
}

/** `entries` in rows of one plugin each, at most EVENTS_LOG_ROW_ENTRIES long, in the order given within each plugin. */
export function toRows(entries: readonly EventsLogEntry[]): EventsLogBatch[] {
  const byPlugin = new Map<string, EventsLogEntry[]>();
  for (const entry of entries) {
    const list = byPlugin.get(entry.pluginId);
    if (list) list.push(entry);
    else byPlugin.set(entry.pluginId, [entry]);
  }
  const rows: EventsLogBatch[] = [];
  for (const [pluginId, list] of byPlugin) {
    for (let at = 0; at < list.length; at += EVENTS_LOG_ROW_ENTRIES) rows.push({ pluginId, entries: list.slice(at, at + EVENTS_LOG_ROW_ENTRIES) });
  }
  return rows;
}

/**
 * Stores `entries` and drops the oldest calls past `capacity`, all in one transaction: a
 * failure stores nothing of them and throws the transaction's error (a full disk shows there;
 * its requests only say they were aborted). `cloneSafe` replaces what the structured clone
 * cannot copy in a row that would not store. Rows are placed one after another, each once the
 * one before is stored, so the page runs other tasks in between.
 */
export async function writeEntries(
  db: PlaygroundDB,
  entries: readonly EventsLogEntry[],
  capacity: number,
  cloneSafe: (entry: EventsLogEntry) => EventsLogEntry,
): Promise<void> {
  const tx = db.transaction(STORES, 'readwrite');
  try {
    await write(tx, entries, capacity, cloneSafe);
  } catch (e) {
    try {
      // Rows placed before the failure must not commit without their counts.
      tx.abort();
    } catch {
      // Aborted already.
    }
    throw tx.error ?? e;
  }
}

type LogTransaction = IDBPTransaction<PlaygroundSchema, typeof STORES, 'readwrite'>;

async function write(
  tx: LogTransaction,
  entries: readonly EventsLogEntry[],
  capacity: number,
  cloneSafe: (entry: EventsLogEntry) => EventsLogEntry,
): Promise<void> {
  const done = tx.done;
  done.catch(() => {}); // seen below, unless a request fails first and aborts it
  const rows = tx.objectStore('eventsLogBatches');
  const countStore = tx.objectStore('eventsLogCounts');
  const [ids, values] = await Promise.all([countStore.getAllKeys(), countStore.getAll()]);
  const counts = new Map(ids.map((id, i) => [id, values[i]!]));
  const changed = new Set<string>();
  for (const row of toRows(entries)) {
    let stored: Promise<number>;
    try {
      stored = rows.add(row);
    } catch {
      // DataCloneError (a payload the structured clone cannot copy): keep the calls anyway.
      stored = rows.add({ ...row, entries: row.entries.map(cloneSafe) });
    }
    await stored;
    counts.set(row.pluginId, (counts.get(row.pluginId) ?? 0) + row.entries.length);
    changed.add(row.pluginId);
  }
  let total = 0;
  for (const count of counts.values()) total += count;
  let excess = pruneCount(total, capacity);
  // Ids only grow: the oldest rows come first, whole ones deleted, the last cut to what stays.
  for (let cursor = excess > 0 ? await rows.openCursor() : null; cursor && excess > 0; cursor = await cursor.continue()) {
    const row = cursor.value;
    const dropped = Math.min(excess, row.entries.length);
    if (dropped === row.entries.length) await cursor.delete();
    else await cursor.update({ ...row, entries: row.entries.slice(dropped) });
    counts.set(row.pluginId, (counts.get(row.pluginId) ?? 0) - dropped);
    changed.add(row.pluginId);
    excess -= dropped;
  }
  await Promise.all([...[...changed].map((id) => (counts.get(id)! > 0 ? countStore.put(counts.get(id)!, id) : countStore.delete(id))), done]);
}

/** One plugin's calls, newest first, from `offset`, at most `limit`; and how many it has. */
export async function readPage(db: PlaygroundDB, pluginId: string, offset: number, limit: number): Promise<{ entries: EventsLogEntry[]; total: number }> {
  const tx = db.transaction(STORES);
  const total = (await tx.objectStore('eventsLogCounts').get(pluginId)) ?? 0;
  const entries: EventsLogEntry[] = [];
  let skip = offset;
  // Within one index key, rows are ordered by id: `prev` walks them newest first.
  for (
    let cursor = await tx.objectStore('eventsLogBatches').index('byPlugin').openCursor(pluginId, 'prev');
    cursor && entries.length < limit;
    cursor = await cursor.continue()
  ) {
    const row = cursor.value.entries;
    if (skip >= row.length) {
      skip -= row.length;
      continue;
    }
    for (let i = row.length - 1 - skip; i >= 0 && entries.length < limit; i--) entries.push(row[i]!);
    skip = 0;
  }
  return { entries, total };
}

/** All of one plugin's calls, oldest first. */
export async function readAll(db: PlaygroundDB, pluginId: string): Promise<EventsLogEntry[]> {
  return (await db.getAllFromIndex('eventsLogBatches', 'byPlugin', pluginId)).flatMap((row) => row.entries);
}

/** The newest `count` calls of every plugin, newest first (fewer if the log holds fewer). */
export async function readNewest(db: PlaygroundDB, count: number): Promise<EventsLogEntry[]> {
  const entries: EventsLogEntry[] = [];
  for (
    let cursor = await db.transaction('eventsLogBatches').store.openCursor(null, 'prev');
    cursor && entries.length < count;
    cursor = await cursor.continue()
  ) {
    entries.push(...[...cursor.value.entries].reverse());
  }
  return entries.slice(0, count);
}

/** Drops every call of one plugin. */
export async function deleteAll(db: PlaygroundDB, pluginId: string): Promise<void> {
  const tx = db.transaction(STORES, 'readwrite');
  const rows = tx.objectStore('eventsLogBatches');
  const ids = await rows.index('byPlugin').getAllKeys(pluginId);
  await Promise.all([...ids.map((id) => rows.delete(id)), tx.objectStore('eventsLogCounts').delete(pluginId), tx.done]);
}
