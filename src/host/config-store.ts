// Per-plugin key-value config in IndexedDB. Every method takes the plugin id from the host's
// own bookkeeping (the port a call arrived on), so one plugin can never name another's keys.
import type { PlaygroundDB } from './db.ts';

export const MAX_CONFIG_KEY_CHARS = 256;
export const MAX_CONFIG_VALUE_BYTES = 64 * 1024;

export class ConfigStore extends EventTarget {
  constructor(private readonly db: PlaygroundDB) {
    super();
  }

  private changed(pluginId: string): void {
    this.dispatchEvent(new CustomEvent<string>('change', { detail: pluginId }));
  }

  async get(pluginId: string, key: string): Promise<string | undefined> {
    return (await this.db.get('config', [pluginId, key]))?.value;
  }

  async set(pluginId: string, key: string, value: string): Promise<void> {
    await this.db.put('config', { pluginId, key, value });
    this.changed(pluginId);
  }

  async delete(pluginId: string, key: string): Promise<void> {
    await this.db.delete('config', [pluginId, key]);
    this.changed(pluginId);
  }

  async entries(pluginId: string): Promise<Array<[string, string]>> {
    const rows = await this.db.getAllFromIndex('config', 'byPlugin', pluginId);
    return rows.map((row) => [row.key, row.value]);
  }

  async deleteAll(pluginId: string): Promise<void> {
    const tx = this.db.transaction('config', 'readwrite');
    for (const key of await tx.store.index('byPlugin').getAllKeys(pluginId)) await tx.store.delete(key);
    await tx.done;
    this.changed(pluginId);
  }
}

/** Undefined when the key is acceptable; otherwise the reason, as the plugin will read it. */
export function configKeyProblem(key: string): string | undefined {
  if (key.length === 0) return 'config key must not be empty';
  if (key.length > MAX_CONFIG_KEY_CHARS) return `config key is ${key.length} characters; at most ${MAX_CONFIG_KEY_CHARS} are allowed`;
  return undefined;
}

export function configValueProblem(value: string): string | undefined {
  const bytes = new TextEncoder().encode(value).length;
  if (bytes > MAX_CONFIG_VALUE_BYTES) return `config value is ${bytes} bytes; at most ${MAX_CONFIG_VALUE_BYTES} are allowed`;
  return undefined;
}
