// Per-plugin key-value config in IndexedDB. Every method takes the plugin id from the host's
// own bookkeeping (the port a call arrived on), so one plugin can never name another's keys.
import { MAX_CONFIG_KEY_CHARS, MAX_CONFIG_KEYS, MAX_CONFIG_TOTAL_BYTES, MAX_CONFIG_VALUE_BYTES } from '../shared/limits.ts';
import type { PlaygroundDB } from './db.ts';

export class ConfigStore extends EventTarget {
  /**
   * Each plugin's config as read or written here. `get-config` is a host call on a plugin's hot
   * path, and an IndexedDB read costs several times the call itself.
   */
  private readonly cache = new Map<string, Promise<Map<string, string>>>();
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

  private loaded(pluginId: string): Promise<Map<string, string>> {
    let entries = this.cache.get(pluginId);
    if (!entries) {
      entries = this.db.getAllFromIndex('config', 'byPlugin', pluginId).then((rows) => new Map(rows.map((row) => [row.key, row.value])));
      // A failed read is not remembered: the next one tries again.
      entries.catch(() => this.cache.delete(pluginId));
      this.cache.set(pluginId, entries);
    }
    return entries;
  }

  /** Applies a write that IndexedDB has committed to the cached copy, if there is one. */
  private async remember(pluginId: string, apply: (entries: Map<string, string>) => void): Promise<void> {
    const entries = await this.cache.get(pluginId)?.catch(() => undefined);
    if (entries) apply(entries);
  }

  async get(pluginId: string, key: string): Promise<string | undefined> {
    return (await this.loaded(pluginId)).get(key);
  }

  /** Why `key = value` would not fit in the plugin's config (its key count and total size); undefined when it fits. */
  async quotaProblem(pluginId: string, key: string, value: string): Promise<string | undefined> {
    const entries = await this.loaded(pluginId);
    if (!entries.has(key) && entries.size >= MAX_CONFIG_KEYS)
      return `config is full: it holds ${MAX_CONFIG_KEYS} keys, the most a plugin may keep; delete one first`;
    let total = utf8Bytes(key) + utf8Bytes(value);
    for (const [k, v] of entries) if (k !== key) total += utf8Bytes(k) + utf8Bytes(v);
    if (total > MAX_CONFIG_TOTAL_BYTES)
      return `config is full: with this value it would hold ${total} bytes; a plugin's config may hold at most ${MAX_CONFIG_TOTAL_BYTES}`;
    return undefined;
  }

  /** Writes one key; refuses (throws, saying why) a write past the plugin's quota. */
  async set(pluginId: string, key: string, value: string): Promise<void> {
    const problem = await this.quotaProblem(pluginId, key, value);
    if (problem) throw new RangeError(problem);
    await this.db.put('config', { pluginId, key, value });
    await this.remember(pluginId, (entries) => entries.set(key, value));
    this.changed(pluginId);
  }

  async delete(pluginId: string, key: string): Promise<void> {
    await this.db.delete('config', [pluginId, key]);
    await this.remember(pluginId, (entries) => entries.delete(key));
    this.changed(pluginId);
  }

  /** Sorted by key, as IndexedDB orders them. */
  async entries(pluginId: string): Promise<Array<[string, string]>> {
    return [...(await this.loaded(pluginId))].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
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

function utf8Bytes(text: string): number {
  return new TextEncoder().encode(text).length;
}

export function configValueProblem(value: string): string | undefined {
  const bytes = utf8Bytes(value);
  if (bytes > MAX_CONFIG_VALUE_BYTES) return `config value is ${bytes} bytes; at most ${MAX_CONFIG_VALUE_BYTES} are allowed`;
  return undefined;
}
