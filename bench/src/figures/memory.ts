// Figure 6: memory and workers with 1, 10 and 30 idle plugins, next to none.
import type { BenchHost, Component } from '../host.ts';
import { progress, row, sleep, summarize, type Row } from '../stats.ts';

interface MemoryMeasurement {
  bytes: number;
  breakdown: Array<{ bytes: number; attribution: Array<{ scope?: string }> }>;
}

declare global {
  interface Performance {
    /** Needs cross-origin isolation; Chromium only. */
    measureUserAgentSpecificMemory?(): Promise<MemoryMeasurement>;
    memory?: { usedJSHeapSize: number };
  }
}

const MiB = 1024 * 1024;

interface Snapshot {
  /** Every agent of the page: the page, its workers. */
  allMiB: number;
  pageHeapMiB: number;
  workers: number;
}

async function snapshot(): Promise<Snapshot> {
  if (!performance.measureUserAgentSpecificMemory)
    throw new Error('performance.measureUserAgentSpecificMemory is unavailable: the page is not cross-origin isolated');
  const result = await performance.measureUserAgentSpecificMemory();
  const workers = result.breakdown.filter((entry) => entry.attribution.some((a) => a.scope === 'DedicatedWorkerGlobalScope')).length;
  return { allMiB: result.bytes / MiB, pageHeapMiB: (performance.memory?.usedJSHeapSize ?? Number.NaN) / MiB, workers };
}

async function snapshots(count: number): Promise<Snapshot[]> {
  const all: Snapshot[] = [];
  for (let i = 0; i < count; i++) all.push(await snapshot());
  return all;
}

export async function memory(h: BenchHost, noop: Component): Promise<Row[]> {
  const F = '6 memory';
  h.stopBridges();
  await h.only([]);
  progress('memory with no plugin running');
  // Workers that earlier figures terminated must be gone first: a measurement that meets one
  // still shutting down waits for it for about a minute.
  await sleep(3000);
  const none = await snapshots(3);
  const rows: Row[] = [];
  const ids: string[] = [];
  const med = (values: number[]) => summarize(values).median;
  for (const count of [1, 10, 30]) {
    while (ids.length < count) ids.push(await h.install(noop, `bench-idle-${ids.length + 1}`));
    progress(`memory with ${count} idle plugins`);
    const running = h.manager.list().filter((view) => view.state === 'running').length;
    const taken = await snapshots(3);
    const perPlugin = (med(taken.map((s) => s.allMiB)) - med(none.map((s) => s.allMiB))) / count;
    rows.push(
      row(
        F,
        `JS memory of the page and all its workers, ${count} idle QuickJS plugin${count > 1 ? 's' : ''}`,
        'MiB',
        taken.map((s) => s.allMiB),
        {
          name: 'no plugin running',
          samples: none.map((s) => s.allMiB),
        },
        {
          note:
            `${perPlugin.toFixed(1)} MiB per plugin; page heap alone ${med(taken.map((s) => s.pageHeapMiB)).toFixed(1)} MiB ` +
            `(${med(none.map((s) => s.pageHeapMiB)).toFixed(1)} with none); ${running} plugin workers running`,
        },
      ),
      row(
        F,
        `workers, ${count} idle plugin${count > 1 ? 's' : ''}`,
        'workers',
        taken.map((s) => s.workers),
        {
          name: 'no plugin running',
          samples: none.map((s) => s.workers),
        },
      ),
    );
  }
  await h.only([]);
  return rows;
}
