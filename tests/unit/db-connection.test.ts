import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { openPlaygroundDB } from '../../src/host/db.ts';

/** Opens `name` at `version` as another version of the app would; says how it went. */
function openAs(name: string, version: number): Promise<{ outcome: 'opened' | 'blocked'; db?: IDBDatabase }> {
  return new Promise((resolve, reject) => {
    const open = indexedDB.open(name, version);
    open.onblocked = () => resolve({ outcome: 'blocked' });
    open.onsuccess = () => resolve({ outcome: 'opened', db: open.result });
    open.onerror = () => reject(open.error);
  });
}

describe('the connection to the playground database, with other tabs about', () => {
  it('lets go of the database when a newer version opens it, and says so first', async () => {
    let superseded = 0;
    const db = await openPlaygroundDB('db-connection-newer', { superseded: () => superseded++ });
    const newer = await openAs('db-connection-newer', 1000);
    expect(newer.outcome).toBe('opened');
    expect(superseded).toBe(1);
    expect(() => db.transaction('settings')).toThrow();
    newer.db?.close();
  });

  it('waits for a tab on an older version, says it is waiting, and opens once that tab lets go', async () => {
    const older = await openAs('db-connection-older', 1);
    let blocked = 0;
    let toldBlocked!: () => void;
    const wasBlocked = new Promise<void>((resolve) => (toldBlocked = resolve));
    let opened = false;
    const opening = openPlaygroundDB('db-connection-older', {
      blocked: () => {
        blocked++;
        toldBlocked();
      },
    });
    void opening.then(() => (opened = true));
    await wasBlocked;
    expect(blocked).toBe(1);
    expect(opened).toBe(false);
    older.db?.close();
    const db = await opening;
    expect([...db.objectStoreNames]).toContain('eventsLogBatches');
    db.close();
  });
});
