// The services of one playground page, built once and handed to the UI through context. This is
// where the parts meet: the plugin manager's bridges reach the host functions, and the host
// functions and runtimes reach the dispatcher, through the wiring below.
import type { HostFunctionName } from '../shared/protocol.ts';
import type { AskedAt } from '../shared/trace-types.ts';
import { Catalog } from './catalog.ts';
import { Compiler } from './compiler.ts';
import { ConfigStore } from './config-store.ts';
import { DB_NAME, openPlaygroundDB, type ConnectionEvents, type PlaygroundDB } from './db.ts';
import { Dispatcher } from './dispatcher.ts';
import { EventsLog } from './events-log.ts';
import { HostFunctions } from './host-functions.ts';
import { PluginLoader } from './loader.ts';
import { Explorer } from './explore/explorer.ts';
import { MediaServer } from './media-server.ts';
import { PluginManager } from './plugin-manager.ts';
import { PluginReloader } from './plugin-reload.ts';
import { Runtimes } from './runtimes/index.ts';
import { Scenarios } from './scenarios.ts';
import { Settings } from './settings.ts';
import { Trace } from './trace.ts';

export interface Playground {
  trace: Trace;
  catalog: Catalog;
  config: ConfigStore;
  plugins: PluginManager;
  /** New builds of installed plugins: watched files, builds dropped on a card. */
  reloads: PluginReloader;
  /** Recording and replaying scenarios. */
  scenarios: Scenarios;
  dispatcher: Dispatcher;
  media: MediaServer;
  eventsLog: EventsLog;
  settings: Settings;
  explorer: Explorer;
}

/** The parts a playground is made of, for the benchmarks that drive them directly. */
export interface PlaygroundParts extends Playground {
  db: PlaygroundDB;
  compiler: Compiler;
  loader: PluginLoader;
  host: HostFunctions;
}

/** `events`: what the page shows when another tab or the browser takes the storage away; `superseded` comes once this tab has stopped its plugins. */
export async function createPlayground(events: Required<ConnectionEvents>): Promise<Playground> {
  let parts: PlaygroundParts | undefined;
  const db = await openPlaygroundDB(DB_NAME, {
    blocked: events.blocked,
    superseded: () => {
      // Its last calls go where the next version's page looks for them (EventsLog.restoreKept).
      parts?.eventsLog.keepWaiting();
      parts?.plugins.stopAll();
      events.superseded();
    },
    terminated: events.terminated,
  });
  parts = await assemblePlayground(db);
  await parts.plugins.restore();
  await parts.explorer.restore();
  return parts;
}

/** Builds every service on `db` and wires them; nothing starts until plugins are restored. */
/** `trace`: the benchmark passes one that also reports each record as it is added. */
export async function assemblePlayground(db: PlaygroundDB, trace = new Trace()): Promise<PlaygroundParts> {
  const traceAdd = trace.add.bind(trace);
  const eventsLog = new EventsLog(db);
  // A closing tab must not lose the calls of its last moments to the log's batching wait.
  addEventListener('pagehide', () => eventsLog.keepWaiting());
  await eventsLog.restoreKept();
  const catalog = new Catalog(db);
  const config = new ConfigStore(db);
  const settings = await Settings.load(db);
  const compiler = new Compiler(db);

  // Built below; the closures run only once plugins do.
  let host!: HostFunctions;
  let dispatcher!: Dispatcher;
  const hostCall = (pluginId: string, fn: HostFunctionName, args: unknown[], at?: AskedAt) => host.call(pluginId, fn, args, at);

  const runtimes = new Runtimes(compiler, { hostCall, trace: traceAdd });
  const loader = new PluginLoader(runtimes, settings, traceAdd);
  const plugins = new PluginManager(db, compiler, loader, config, trace, settings, eventsLog, {
    hostCall,
    publish: (pluginId, event) => dispatcher.onPublish(pluginId, event),
  });
  dispatcher = new Dispatcher({
    plugins: () => plugins.records(),
    bridge: (id) => plugins.bridge(id),
    grantFor: (id) => plugins.grantFor(id),
    runtimeFor: (record) => runtimes.forProfile(record.profile),
    context: { config: async (id) => Object.fromEntries(await config.entries(id)) },
    trace: traceAdd,
    log: (entry) => void eventsLog.add(entry),
  });
  plugins.addEventListener('removed', (e) => dispatcher.forget((e as CustomEvent<string>).detail));
  host = new HostFunctions({
    catalog,
    config,
    trace,
    grantFor: (id) => plugins.grantFor(id),
    emit: (source, name, payload) => dispatcher.emit(source, name, payload),
    admitLog: (id) => plugins.bridge(id)?.admitLog() ?? false,
    httpLimits: () => settings.httpLimits,
    instanceName: 'Plugin Playground',
  });
  const media = new MediaServer(catalog, dispatcher);
  const reloads = new PluginReloader(plugins, trace);
  const scenarios = new Scenarios({ dispatcher, config, catalog, trace, plugins });
  const explorer = new Explorer({ db, settings, trace: (input) => void trace.add(input) });
  return { trace, catalog, config, plugins, reloads, scenarios, dispatcher, media, eventsLog, settings, explorer, db, compiler, loader, host };
}
