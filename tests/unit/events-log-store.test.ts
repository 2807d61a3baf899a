import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { openPlaygroundDB, type EventsLogEntry } from '../../src/host/db.ts';
import { deleteAll, readAll, readNewest, readPage, writeEntries } from '../../src/host/events-log-store.ts';
import { EventsLog } from '../../src/host/events-log.ts';

let dbs = 0;
const freshDb = () => openPlaygroundDB(`events-log-test-${++dbs}`);

const call = (pluginId: string, i: number, payload: unknown = { n: i }): EventsLogEntry => ({
  pluginId,
  event: 'on_track_played',
  payload,
  result: 'success',
  executionMs: i,
  time: 1_700_000_000_000 + i,
});
const calls = (pluginId: string, from: number, count: number) => Array.from({ length: count }, (_, i) => call(pluginId, from + i));
const asIs = (entry: EventsLogEntry) => entry;
const ms = (entries: EventsLogEntry[]) => entries.map((entry) => entry.executionMs);

describe('the events log in IndexedDB', () => {
  it('pages one plugin newest first across writes and rows, and counts it', async () => {
    const db = await freshDb();
    await writeEntries(db, calls('a', 0, 150), 5000, asIs); // two rows: 100 and 50
    await writeEntries(db, [...calls('b', 0, 3), ...calls('a', 150, 5)], 5000, asIs);
    expect(await readPage(db, 'a', 0, 3)).toMatchObject({ total: 155 });
    expect(ms((await readPage(db, 'a', 0, 3)).entries)).toEqual([154, 153, 152]);
    // From inside the newest row into the one before, and across two rows at once.
    expect(ms((await readPage(db, 'a', 4, 3)).entries)).toEqual([150, 149, 148]);
    expect(ms((await readPage(db, 'a', 54, 2)).entries)).toEqual([100, 99]);
    expect(ms((await readPage(db, 'a', 150, 10)).entries)).toEqual([4, 3, 2, 1, 0]);
    expect(await readPage(db, 'b', 0, 10)).toMatchObject({ total: 3 });
    expect(await readPage(db, 'nobody', 0, 10)).toEqual({ entries: [], total: 0 });
  });

  it('exports a plugin oldest first, whole, and only its own calls', async () => {
    const db = await freshDb();
    await writeEntries(db, [...calls('a', 0, 120), ...calls('b', 0, 2)], 5000, asIs);
    await writeEntries(db, calls('a', 120, 1), 5000, asIs);
    expect(ms(await readAll(db, 'a'))).toEqual(Array.from({ length: 121 }, (_, i) => i));
    expect((await readAll(db, 'b')).map((entry) => entry.pluginId)).toEqual(['b', 'b']);
  });

  it('drops the oldest calls of any plugin past capacity, cutting a row where it must', async () => {
    const db = await freshDb();
    await writeEntries(db, calls('a', 0, 6), 10, asIs);
    await writeEntries(db, calls('b', 0, 4), 10, asIs);
    expect((await readPage(db, 'a', 0, 10)).total).toBe(6);
    // 12 > 10: down to 9, the oldest 3 go (all of them a's).
    await writeEntries(db, calls('a', 6, 2), 10, asIs);
    expect(ms((await readPage(db, 'a', 0, 10)).entries)).toEqual([7, 6, 5, 4, 3]);
    expect((await readPage(db, 'a', 0, 10)).total).toBe(5);
    expect((await readPage(db, 'b', 0, 10)).total).toBe(4);
    // 11 > 10: two more of a's first row, which keeps its last call.
    await writeEntries(db, calls('c', 0, 2), 10, asIs);
    expect(ms(await readAll(db, 'a'))).toEqual([5, 6, 7]);
    expect((await readPage(db, 'a', 0, 10)).total).toBe(3);
    expect(ms(await readAll(db, 'b'))).toEqual([0, 1, 2, 3]);
    // Every plugin's, newest row first: c's, a's second, b's, what is left of a's first.
    expect(ms(await readNewest(db, 20))).toEqual([1, 0, 7, 6, 3, 2, 1, 0, 5]);
    expect(ms(await readNewest(db, 3))).toEqual([1, 0, 7]);
  });

  it('forgets one plugin, count and all, and keeps the others', async () => {
    const db = await freshDb();
    await writeEntries(db, [...calls('a', 0, 150), ...calls('b', 0, 2)], 5000, asIs);
    await deleteAll(db, 'a');
    expect(await readPage(db, 'a', 0, 10)).toEqual({ entries: [], total: 0 });
    expect((await readPage(db, 'b', 0, 10)).total).toBe(2);
  });

  it('stores a call whose payload cannot be cloned as the cloneSafe version of it', async () => {
    const db = await freshDb();
    const odd = call('a', 1, { f: () => 1 });
    await writeEntries(db, [call('a', 0), odd], 5000, (entry) => (entry === odd ? { ...entry, payload: 'as text' } : entry));
    expect((await readAll(db, 'a')).map((entry) => entry.payload)).toEqual([{ n: 0 }, 'as text']);
  });

  it('stores nothing of a write that fails, and says why', async () => {
    const db = await freshDb();
    await writeEntries(db, calls('a', 0, 2), 5000, asIs);
    const write = writeEntries(db, [...calls('a', 2, 150), call('a', 152, { f: () => 1 })], 5000, asIs);
    await expect(write).rejects.toThrow(/clone/i);
    expect(await readPage(db, 'a', 0, 10)).toMatchObject({ total: 2 });
    expect(ms(await readAll(db, 'a'))).toEqual([0, 1]);
  });

  it('moves the rows of schema version 3 (one per call) into rows of calls, in order', async () => {
    const name = `events-log-v3-${++dbs}`;
    const old = await new Promise<IDBDatabase>((resolve, reject) => {
      const open = indexedDB.open(name, 3);
      open.onupgradeneeded = () => open.result.createObjectStore('eventsLog', { keyPath: 'id', autoIncrement: true }).createIndex('byPlugin', 'pluginId');
      open.onsuccess = () => resolve(open.result);
      open.onerror = () => reject(open.error);
    });
    const store = old.transaction('eventsLog', 'readwrite').objectStore('eventsLog');
    for (const entry of [...calls('a', 0, 130), ...calls('b', 0, 2), ...calls('a', 130, 2)]) store.add(entry);
    await new Promise((resolve) => (store.transaction.oncomplete = resolve));
    old.close();

    const db = await openPlaygroundDB(name);
    expect(db.objectStoreNames.contains('eventsLog')).toBe(false);
    expect(ms(await readAll(db, 'a'))).toEqual(Array.from({ length: 132 }, (_, i) => i));
    expect((await readAll(db, 'a')).every((entry) => !('id' in entry))).toBe(true);
    expect(await readPage(db, 'a', 0, 1)).toMatchObject({ total: 132 });
    expect((await readPage(db, 'b', 0, 5)).total).toBe(2);
    expect(await db.count('eventsLogBatches')).toBe(4); // a 100, a 30, b 2, a 2
  });
});

describe('EventsLog', () => {
  it('writes what was added at once as one batch and tells which plugins changed', async () => {
    const log = new EventsLog(await freshDb(), 5000);
    const changed: string[] = [];
    log.addEventListener('change', (e) => changed.push((e as CustomEvent<string>).detail));
    await Promise.all([...calls('a', 0, 250), ...calls('b', 0, 1)].map((entry) => log.add(entry)));
    expect(changed.sort()).toEqual(['a', 'b']);
    const page = await log.page('a', 0, 2);
    expect(page.total).toBe(250);
    expect(ms(page.entries)).toEqual([249, 248]);
    expect(JSON.parse(await log.exportJson('b'))).toHaveLength(1);
  });
});
