// Plugin workers, one kept started ahead: a worker's own start (loading and evaluating its
// script, locking itself down) is most of a warm plugin start that is not the plugin's, so the
// next plugin to start takes the spare. A worker serves one plugin start only and is never
// handed to a second plugin.
//
// The next spare begins once an event has been handled after the start that took one, or
// SPARE_WORKER_REFILL_MS after that start when no event comes: begun at once, it competed with
// that first event for the machine and made it take about twice as long (bench, hello-events:
// 25-28 ms against 13-14 ms), and a first event is what a restart after a trap, or a user who
// just enabled a plugin, is waiting for.
import { SPARE_WORKER_REFILL_MS } from '../shared/limits.ts';

let spare: Worker | undefined;
let wanted: ReturnType<typeof setTimeout> | undefined;

function startWorker(): Worker {
  // Spares are not named after their plugin: a worker's name is fixed when it is made.
  return new Worker(new URL('../worker/plugin-worker.ts', import.meta.url), { type: 'module', name: 'plugin' });
}

/** A started plugin worker of its own for one plugin start. */
export function takePluginWorker(): Worker {
  const worker = spare ?? startWorker();
  spare = undefined;
  return worker;
}

/** Begins the next spare now, if a start took the last one; called after every event. */
export function refillSpareWorker(): void {
  if (wanted === undefined) return;
  clearTimeout(wanted);
  wanted = undefined;
  spare ??= startWorker();
}

/** A start that took a worker is over: the next spare begins after the next event (refillSpareWorker), or a while later. */
export function spareWanted(): void {
  if (spare || wanted !== undefined) return;
  wanted = setTimeout(refillSpareWorker, SPARE_WORKER_REFILL_MS);
}
