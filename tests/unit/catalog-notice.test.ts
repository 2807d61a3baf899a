// Other tabs hear of library changes at once, and at most every CATALOG_NOTICE_MS during a flood,
// the last change always included. Two catalogs in one process talk over a real BroadcastChannel;
// IndexedDB is not available here, so the catalog's writes go to a store that accepts them.
import { afterEach, describe, expect, it } from 'vitest';
import { Catalog } from '../../src/host/catalog.ts';
import type { PlaygroundDB } from '../../src/host/db.ts';
import { CATALOG_NOTICE_MS } from '../../src/shared/limits.ts';

const accepting = { put: async () => undefined, count: async () => 0 } as unknown as PlaygroundDB;
const settle = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const open: Catalog[] = [];

function tabs(): { writer: Catalog; heard: () => number } {
  const writer = new Catalog(accepting);
  const reader = new Catalog(accepting);
  open.push(writer, reader);
  let heard = 0;
  reader.addEventListener('change', () => heard++);
  return { writer, heard: () => heard };
}

afterEach(() => {
  for (const catalog of open.splice(0)) catalog.close();
});

describe('library changes reach other tabs', () => {
  it('one change is told at once', async () => {
    const { writer, heard } = tabs();
    await writer.registerUser('carol');
    await settle(20);
    expect(heard()).toBe(1);
  });

  it('a flood of changes is told a few times, the last one included', async () => {
    const { writer, heard } = tabs();
    for (let i = 0; i < 200; i++) await writer.registerUser(`user-${i}`);
    await settle(CATALOG_NOTICE_MS * 2);
    expect(heard()).toBeGreaterThanOrEqual(2); // the first at once, then the trailing one
    expect(heard()).toBeLessThan(20);
  });
});
