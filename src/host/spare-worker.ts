// Plugin workers, one kept started ahead: a worker's own start (loading and evaluating its
// script, locking itself down) is most of a warm plugin start that is not the plugin's, so the
// next plugin to start takes the spare and another is begun once that start is over. A worker
// serves one plugin start only and is never handed to a second plugin.

let spare: Worker | undefined;
let refill: ReturnType<typeof setTimeout> | undefined;

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

/**
 * Called once a start that took a worker is over: the next spare begins then, so it does not
 * compete with that start for the machine.
 */
export function refillSpareWorker(): void {
  refill ??= setTimeout(() => {
    refill = undefined;
    spare ??= startWorker();
  }, 0);
}
