// Plays a scenario against one installed plugin: its config becomes the scenario's (and is put
// back afterwards, so a replay changes nothing the user set), then each step is delivered to
// that plugin alone, after the previous one was handled, and every trace record of the plugin
// meanwhile is read from the trace as the export writes it. A step that adds a track also puts the track
// into the library, so that host calls about it find it wherever the scenario was recorded.
import type { Scenario, ExportedRecord } from '../shared/scenario.ts';
import { exported, toMediaEvent } from '../shared/scenario.ts';
import type { Catalog } from './catalog.ts';
import type { ConfigStore } from './config-store.ts';
import type { Dispatcher } from './dispatcher.ts';
import type { Trace } from './trace.ts';

export interface PlayerDeps {
  dispatcher: Pick<Dispatcher, 'deliverOnly'>;
  config: ConfigStore;
  catalog: Catalog;
  trace: Trace;
}

export interface Played {
  /** The plugin's trace records from the first step to the end of the last, as exported. */
  records: ExportedRecord[];
  /** Steps that were not delivered, and why. */
  notes: string[];
}

async function setConfig(config: ConfigStore, pluginId: string, entries: Array<[string, string]>): Promise<void> {
  await config.deleteAll(pluginId);
  for (const [key, value] of entries) await config.set(pluginId, key, value);
}

export async function playScenario(deps: PlayerDeps, pluginId: string, scenario: Scenario): Promise<Played> {
  const notes: string[] = [];
  const saved = await deps.config.entries(pluginId);
  await setConfig(deps.config, pluginId, Object.entries(scenario.config ?? {}));
  // Read from the trace afterwards, not heard record by record: its listeners hear once a frame.
  const from = deps.trace.lastSeq();
  try {
    for (const [index, step] of scenario.steps.entries()) {
      const event = toMediaEvent(step);
      if (event.name === 'on_track_added') {
        const { track_id, title, artist, album } = event.payload;
        await deps.catalog.ensureTrack(track_id, { title, artistName: artist, albumTitle: album });
      }
      const outcome = await deps.dispatcher.deliverOnly(pluginId, event);
      if (outcome === 'delivered') continue;
      const why =
        outcome === 'not subscribed'
          ? `its manifest does not subscribe to ${step.event}`
          : outcome === 'no handler'
            ? `it takes no ${step.event} (a SoundTime module needs handle_${step.event})`
            : 'the plugin is not enabled';
      notes.push(`steps[${index}] (${step.event}) was not delivered: ${why}.`);
    }
  } finally {
    await setConfig(deps.config, pluginId, saved);
  }
  const records = deps.trace
    .since(from)
    .filter((record) => record.pluginId === pluginId)
    .map(exported);
  return { records, notes };
}
