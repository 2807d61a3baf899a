// The services of one playground page, built once and handed to the UI through context.
import { Catalog } from './catalog.ts';
import { Compiler } from './compiler.ts';
import { ConfigStore } from './config-store.ts';
import { openPlaygroundDB } from './db.ts';
import { EventsLog } from './events-log.ts';
import { Explorer } from './explore/explorer.ts';
import { MediaServer } from './media-server.ts';
import { PluginManager } from './plugin-manager.ts';
import { Settings } from './settings.ts';
import { Trace } from './trace.ts';

export interface Playground {
  trace: Trace;
  catalog: Catalog;
  config: ConfigStore;
  plugins: PluginManager;
  media: MediaServer;
  eventsLog: EventsLog;
  settings: Settings;
  explorer: Explorer;
}

export async function createPlayground(): Promise<Playground> {
  const db = await openPlaygroundDB();
  const trace = new Trace();
  const eventsLog = new EventsLog(db);
  // A closing tab must not lose the calls of its last moments to the log's batching wait.
  addEventListener('pagehide', () => eventsLog.keepWaiting());
  await eventsLog.restoreKept();
  const catalog = new Catalog(db);
  const config = new ConfigStore(db);
  const settings = await Settings.load(db);
  const plugins = new PluginManager(db, new Compiler(db), config, trace, settings, catalog, eventsLog);
  const media = new MediaServer(catalog, plugins);
  await plugins.restore();
  const explorer = new Explorer({ db, settings, trace: (input) => void trace.add(input) });
  await explorer.restore();
  return { trace, catalog, config, plugins, media, eventsLog, settings, explorer };
}
