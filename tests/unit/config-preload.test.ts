import { describe, expect, it } from 'vitest';
import { ConfigStore } from '../../src/host/config-store.ts';
import type { PlaygroundDB } from '../../src/host/db.ts';

/** A config store whose reads of the database are counted, and fail while `failing` is set. */
function counted(rows: Array<{ pluginId: string; key: string; value: string }>) {
  const state = { reads: 0, failing: false };
  const db = {
    getAllFromIndex: async (_store: string, _index: string, pluginId: string) => {
      state.reads++;
      if (state.failing) throw new Error('the disk is gone');
      return rows.filter((row) => row.pluginId === pluginId);
    },
  } as unknown as PlaygroundDB;
  return { store: new ConfigStore(db), state };
}

describe("a plugin's config read as its worker starts", () => {
  it('answers the first get-config from the read begun at start, without reading again', async () => {
    const { store, state } = counted([{ pluginId: 'p', key: 'events-seen', value: '41' }]);
    store.preload('p');
    expect(state.reads).toBe(1);
    expect(await store.get('p', 'events-seen')).toBe('41');
    expect(await store.get('p', 'other')).toBeUndefined();
    expect(state.reads).toBe(1);
  });

  it('reads again at the first get-config when the early read failed, and loses nothing', async () => {
    const { store, state } = counted([{ pluginId: 'p', key: 'k', value: 'v' }]);
    state.failing = true;
    store.preload('p');
    await new Promise((resolve) => setTimeout(resolve, 0));
    state.failing = false;
    expect(await store.get('p', 'k')).toBe('v');
    expect(state.reads).toBe(2);
  });
});
