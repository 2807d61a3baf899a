import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FileWatch } from '../../src/host/file-watch.ts';

/** A file on "disk" that the test rewrites, seen through a handle-like object. */
function disk() {
  let file: File | Error = new File(['v1'], 'plugin.wasm', { lastModified: 1 });
  return {
    handle: {
      name: 'plugin.wasm',
      getFile: async () => {
        if (file instanceof Error) throw file;
        return file;
      },
    },
    write(text: string, lastModified: number) {
      file = new File([text], 'plugin.wasm', { lastModified });
    },
    remove() {
      file = new DOMException('A requested file or directory could not be found.', 'NotFoundError');
    },
  };
}

const INTERVAL = 100;

describe('FileWatch', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  async function setUp(onBuild = async (file: File) => `read ${await file.text()}`) {
    const files = disk();
    const builds: string[] = [];
    const watch = new FileWatch(
      files.handle,
      async (file) => {
        builds.push(await file.text());
        return onBuild(file);
      },
      () => {},
      INTERVAL,
    );
    watch.start();
    await vi.advanceTimersByTimeAsync(0);
    return { files, builds, watch, checks: (n: number) => vi.advanceTimersByTimeAsync(n * INTERVAL) };
  }

  it('reads the file at once, then not again while it is unchanged', async () => {
    const { builds, watch, checks } = await setUp();
    await checks(5);
    expect(builds).toEqual(['v1']);
    expect(watch.status).toMatchObject({ fileName: 'plugin.wasm', note: 'read v1' });
    watch.stop();
  });

  it('reads a new build once it has held for one more check, so a half-written file is not read', async () => {
    const { files, builds, watch, checks } = await setUp();
    files.write('v2-partial', 2);
    await checks(1);
    files.write('v2', 3);
    await checks(1);
    expect(builds).toEqual(['v1']);
    await checks(1);
    expect(builds).toEqual(['v1', 'v2']);
    await checks(3);
    expect(builds).toEqual(['v1', 'v2']);
    watch.stop();
  });

  it('says when the file cannot be read, keeps watching, and clears that once it can', async () => {
    const { files, builds, watch, checks } = await setUp();
    files.remove();
    await checks(1);
    expect(watch.status.problem).toMatch(/^plugin\.wasm cannot be read \(A requested file or directory could not be found\.\); still watching\.$/);
    files.write('v2', 5);
    await checks(2);
    expect(builds).toEqual(['v1', 'v2']);
    expect(watch.status.problem).toBeUndefined();
    watch.stop();
  });

  it('reports a refused build and reads the next one', async () => {
    const { files, builds, watch, checks } = await setUp(async (file) => {
      if ((await file.text()) === 'broken') throw new Error('not a component');
      return 'ok';
    });
    files.write('broken', 2);
    await checks(2);
    expect(watch.status.problem).toBe('The build in plugin.wasm was not loaded: not a component');
    files.write('fixed', 3);
    await checks(2);
    expect(builds).toEqual(['v1', 'broken', 'fixed']);
    expect(watch.status).toMatchObject({ note: 'ok', problem: undefined });
    watch.stop();
  });

  it('reads nothing after it is stopped', async () => {
    const { files, builds, watch, checks } = await setUp();
    watch.stop();
    files.write('v2', 2);
    await checks(5);
    expect(builds).toEqual(['v1']);
  });
});
