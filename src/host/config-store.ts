// Per-plugin key-value config in IndexedDB. Every method takes the plugin id from the host's
// own bookkeeping (the port a call arrived on), so one plugin can never name another's keys.
import { MAX_CONFIG_KEY_CHARS, MAX_CONFIG_KEYS, MAX_CONFIG_TOTAL_BYTES, MAX_CONFIG_VALUE_BYTES } from '../shared/limits.ts';
import type { IDBPObjectStore } from 'idb';
import { utf8Length } from '../shared/utf8.ts';
import type { PlaygroundDB, PlaygroundSchema } from './db.ts';

type ConfigObjectStore = IDBPObjectStore<PlaygroundSchema, ['config'], 'config', 'readwrite'>;

/** A write the config refuses: the key, the value or the plugin's quota; the message says which. */
export class ConfigRefused extends RangeError {
  override name = 'ConfigRefused';
}

/** One plugin's entries, with the bytes (UTF-8, keys and values) they add up to kept as they change. */
class PluginConfig {
  bytes = 0;

  constructor(readonly entries: Map<string, string>) {
    for (const [key, value] of entries) this.bytes += entryBytes(key, value);
  }

  set(key: string, value: string): void {
    this.delete(key);
    this.entries.set(key, value);
    this.bytes += entryBytes(key, value);
  }

  delete(key: string): void {
    const old = this.entries.get(key);
    if (old === undefined) return;
    this.entries.delete(key);
    this.bytes -= entryBytes(key, old);
  }
}

export class ConfigStore extends EventTarget {
  /**
   * Each plugin's config as read or written here. `get-config` is a host call on a plugin's hot
   * path, and an IndexedDB read costs several times the call itself.
   */
  private readonly cache = new Map<string, Promise<PluginConfig>>();
  /** Other tabs of the playground write the same database: each tells the others what changed. */
  private readonly tabs = typeof BroadcastChannel === 'function' ? new BroadcastChannel('plugin-playground:config') : undefined;

  constructor(private readonly db: PlaygroundDB) {
    super();
    this.tabs?.addEventListener('message', (e: MessageEvent<string>) => {
      this.cache.delete(e.data);
      this.dispatchEvent(new CustomEvent<string>('change', { detail: e.data }));
    });
  }

  private changed(pluginId: string): void {
    this.tabs?.postMessage(pluginId);
    this.dispatchEvent(new CustomEvent<string>('change', { detail: pluginId }));
  }

  private loaded(pluginId: string): Promise<PluginConfig> {
    let config = this.cache.get(pluginId);
    if (!config) {
      config = this.db.getAllFromIndex('config', 'byPlugin', pluginId).then((rows) => new PluginConfig(new Map(rows.map((row) => [row.key, row.value]))));
      // A failed read is not remembered: the next one tries again.
      config.catch(() => this.cache.delete(pluginId));
      this.cache.set(pluginId, config);
    }
    return config;
  }

  /**
   * One write in a transaction of its own, committed as soon as it is asked: waiting for the
   * transaction to find itself idle costs another round trip to the database (about 15% of a
   * set-config in the bench). Settles once the write is committed.
   */
  private async write(request: (store: ConfigObjectStore) => Promise<unknown>): Promise<void> {
    const tx = this.db.transaction('config', 'readwrite');
    const done = request(tx.store);
    tx.commit();
    await Promise.all([done, tx.done]);
  }

  /** Applies a write that IndexedDB has committed to the cached copy, if there is one. */
  private async remember(pluginId: string, apply: (config: PluginConfig) => void): Promise<void> {
    const config = await this.cache.get(pluginId)?.catch(() => undefined);
    if (config) apply(config);
  }

  /** Reads a plugin's config ahead of its first call (while its worker starts); a failed read is tried again then. */
  preload(pluginId: string): void {
    this.loaded(pluginId).catch(() => {});
  }

  async get(pluginId: string, key: string): Promise<string | undefined> {
    return (await this.loaded(pluginId)).entries.get(key);
  }

  /** Why `key = value` would not fit in the plugin's config (its key count and total size); undefined when it fits. */
  async quotaProblem(pluginId: string, key: string, value: string): Promise<string | undefined> {
    const { entries, bytes } = await this.loaded(pluginId);
    const old = entries.get(key);
    if (old === undefined && entries.size >= MAX_CONFIG_KEYS)
      return `config is full: it holds ${MAX_CONFIG_KEYS} keys, the most a plugin may keep; delete one first`;
    const total = bytes - (old === undefined ? 0 : entryBytes(key, old)) + entryBytes(key, value);
    if (total > MAX_CONFIG_TOTAL_BYTES) {
      return `config is full: with this value it would hold ${total} bytes; a plugin's config may hold at most ${MAX_CONFIG_TOTAL_BYTES}`;
    }
    return undefined;
  }

  /** Writes one key; refuses (throws ConfigRefused, saying why) a bad key or value, or a write past the plugin's quota. */
  async set(pluginId: string, key: string, value: string): Promise<void> {
    const problem = configKeyProblem(key) ?? configValueProblem(value) ?? (await this.quotaProblem(pluginId, key, value));
    if (problem) throw new ConfigRefused(problem);
    await this.write((store) => store.put({ pluginId, key, value }));
    await this.remember(pluginId, (config) => config.set(key, value));
    this.changed(pluginId);
  }

  async delete(pluginId: string, key: string): Promise<void> {
    await this.write((store) => store.delete([pluginId, key]));
    await this.remember(pluginId, (config) => config.delete(key));
    this.changed(pluginId);
  }

  /** Sorted by key, as IndexedDB orders them. */
  async entries(pluginId: string): Promise<Array<[string, string]>> {
    return [...(await this.loaded(pluginId)).entries].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  }

  async deleteAll(pluginId: string): Promise<void> {
    const tx = this.db.transaction('config', 'readwrite');
    for (const key of await tx.store.index('byPlugin').getAllKeys(pluginId)) await tx.store.delete(key);
    await tx.done;
    this.cache.delete(pluginId);
    this.changed(pluginId);
  }
}

/** Undefined when the key is acceptable; otherwise the reason, as the plugin will read it. */
export function configKeyProblem(key: string): string | undefined {
  if (key.length === 0) return 'config key must not be empty';
  if (key.length > MAX_CONFIG_KEY_CHARS) return `config key is ${key.length} characters; at most ${MAX_CONFIG_KEY_CHARS} are allowed`;
  return undefined;
}

function entryBytes(key: string, value: string): number {
  return utf8Length(key) + utf8Length(value);
}

export function configValueProblem(value: string): string | undefined {
  const bytes = utf8Length(value);
  if (bytes > MAX_CONFIG_VALUE_BYTES) return `config value is ${bytes} bytes; at most ${MAX_CONFIG_VALUE_BYTES} are allowed`;
  return undefined;
}
