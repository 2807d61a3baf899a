import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SPARE_WORKER_REFILL_MS } from '../../src/shared/limits.ts';

/** Stands in for the page's Worker: counts the workers made. */
class CountedWorker {
  static made = 0;
  constructor() {
    CountedWorker.made++;
  }
}

async function fresh() {
  vi.resetModules();
  return import('../../src/host/spare-worker.ts');
}

describe('the spare plugin worker', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    CountedWorker.made = 0;
    vi.stubGlobal('Worker', CountedWorker);
  });
  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllGlobals();
  });

  it('is not begun while the plugin that just started handles its first event, but right after it', async () => {
    const spare = await fresh();
    const first = spare.takePluginWorker();
    expect(CountedWorker.made).toBe(1);
    spare.spareWanted();
    // The start is over and its first event is on its way: nothing else starts meanwhile.
    await vi.advanceTimersByTimeAsync(SPARE_WORKER_REFILL_MS - 1);
    expect(CountedWorker.made).toBe(1);
    spare.refillSpareWorker();
    expect(CountedWorker.made).toBe(2);
    // The next start takes the spare instead of making a worker.
    expect(spare.takePluginWorker()).not.toBe(first);
    expect(CountedWorker.made).toBe(2);
  });

  it('is begun a while after a start when no event comes, once', async () => {
    const spare = await fresh();
    spare.takePluginWorker();
    spare.spareWanted();
    spare.spareWanted();
    await vi.advanceTimersByTimeAsync(SPARE_WORKER_REFILL_MS);
    expect(CountedWorker.made).toBe(2);
    // Events after that begin nothing more: the spare is there.
    spare.refillSpareWorker();
    spare.spareWanted();
    await vi.advanceTimersByTimeAsync(SPARE_WORKER_REFILL_MS * 2);
    expect(CountedWorker.made).toBe(2);
  });

  it('is not begun by events when no start took one', async () => {
    const spare = await fresh();
    spare.refillSpareWorker();
    await vi.advanceTimersByTimeAsync(SPARE_WORKER_REFILL_MS * 2);
    expect(CountedWorker.made).toBe(0);
  });
});
