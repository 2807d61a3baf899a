// Compiled core modules, kept per file and memory cap, so a restart after a trap or a kill (and
// a second plugin from the same file) does not compile again. A WebAssembly.Module is
// structured-clonable: the plugin worker receives it compiled. Bounded: the oldest go first.
import { MAX_COMPILED_FILES_KEPT } from '../../shared/limits.ts';
import type { Loaded } from './types.ts';

type Note = NonNullable<Loaded['note']>;

export class ModuleCache<T> {
  private readonly entries = new Map<string, Promise<T>>();

  constructor(private readonly capacity = MAX_COMPILED_FILES_KEPT) {}

  get(key: string, make: () => Promise<T>): Promise<T> {
    let entry = this.entries.get(key);
    if (entry) {
      // Most recently used last.
      this.entries.delete(key);
      this.entries.set(key, entry);
      return entry;
    }
    entry = make();
    // A failure is not remembered: the next start tries again.
    entry.catch(() => this.entries.delete(key));
    this.entries.set(key, entry);
    while (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value!);
    return entry;
  }

  /**
   * `get`, saying where the value came from: what `make` said when it ran for this call, else
   * `reused` (kept from an earlier start, or on its way for another one).
   */
  async noted(key: string, reused: Note, make: () => Promise<{ value: T; note: Note }>): Promise<{ value: T; note: Note }> {
    let note = reused;
    const value = await this.get(key, async () => {
      const made = await make();
      note = made.note;
      return made.value;
    });
    return { value, note };
  }

  forget(prefix: string): void {
    for (const key of [...this.entries.keys()]) if (key.startsWith(prefix)) this.entries.delete(key);
  }
}
