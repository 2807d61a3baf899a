// The events log: every call into a plugin (DESIGN §5), capped so a chatty plugin cannot
// exhaust the site's storage (§8), browsable a page at a time and exportable. Calls are queued
// and written in batches; how they lie in IndexedDB is events-log-store.ts.
import { DEFAULT_EVENTS_LOG_CAPACITY, EVENTS_LOG_BATCH_MS, MAX_EVENTS_LOG_ERROR_CHARS, MAX_EVENTS_LOG_PAYLOAD_CHARS } from '../shared/limits.ts';
import { clipText, clipValue } from './clip.ts';
import { toJson } from '../shared/trace-format.ts';
import { storageErrorMessage, type EventsLogEntry, type PlaygroundDB } from './db.ts';
import { deleteAll, readAll, readNewest, readPage, writeEntries } from './events-log-store.ts';

export type NewEventsLogEntry = Omit<EventsLogEntry, 'id'>;

/** One exported entry, named like a row of SoundTime's `plugin_events_log`. */
export interface EventsLogRow {
  plugin: string;
  event: string;
  payload: unknown;
  result: EventsLogEntry['result'];
  execution_ms: number;
  /** Fuel the call used (null when its worker was terminated: nothing was left to read). */
  fuel_used: number | null;
  error_message: string | null;
  /** ISO 8601, UTC. */
  created_at: string;
}

export function toLogRow(entry: EventsLogEntry): EventsLogRow {
  return {
    plugin: entry.pluginId,
    event: entry.event,
    payload: entry.payload,
    result: entry.result,
    execution_ms: entry.executionMs,
    fuel_used: entry.fuel ?? null,
    error_message: entry.error ?? null,
    created_at: new Date(entry.time).toISOString(),
  };
}

/** The export file's text: entries oldest first, bigint as a number when safe, else as text. */
export function eventsLogJson(entries: EventsLogEntry[]): string {
  return toJson(entries.map(toLogRow), 2);
}

/** Whether the structured clone can copy `value` (a payload from a plugin may hold what it cannot). */
function cloneable(value: unknown): boolean {
  try {
    structuredClone(value);
    return true;
  } catch {
    return false;
  }
}

function payloadText(payload: unknown): string {
  try {
    return toJson(payload);
  } catch {
    return String(payload);
  }
}

/**
 * The entry as it is queued and stored: the payload and the plugin's error cut and copied, so
 * neither the queue nor the database holds what a plugin sent whole (see clip.ts).
 */
export function boundedEntry(entry: NewEventsLogEntry): NewEventsLogEntry {
  const payload = clipValue(entry.payload, { string: MAX_EVENTS_LOG_PAYLOAD_CHARS, total: MAX_EVENTS_LOG_PAYLOAD_CHARS }).value;
  const bounded = { ...entry, payload };
  if (entry.error !== undefined) bounded.error = clipText(entry.error, MAX_EVENTS_LOG_ERROR_CHARS);
  return bounded;
}

/** What tells an entry apart, kept or stored: its plugin, event and when and how long it ran. */
function identity(entry: NewEventsLogEntry): string {
  return `${entry.pluginId}|${entry.event}|${entry.time}|${entry.executionMs}`;
}

/**
 * How long a write waits to gather entries. Calls that follow one another (each awaited) would
 * otherwise cost a transaction each, several times the call itself.
 */

/** Where a closing page keeps the entries it could not write (see `keepWaiting`). */
const KEPT_KEY = 'playground.events-log.unwritten';

/**
 * Writes are queued and flushed one transaction at a time: whatever arrives while a write waits
 * or is in flight goes into the next one, so a burst of calls costs a few transactions, not one each.
 */
export class EventsLog extends EventTarget {
  private pending: NewEventsLogEntry[] = [];
  /** The write that will take `pending`; undefined once it has taken them. */
  private next?: Promise<void>;
  /** The last write scheduled; never rejects. */
  private last: Promise<void> = Promise.resolve();
  /** The batch whose transaction has not committed yet. */
  private writing: NewEventsLogEntry[] = [];

  constructor(
    private readonly db: PlaygroundDB,
    readonly capacity = DEFAULT_EVENTS_LOG_CAPACITY,
  ) {
    super();
  }

  /** Resolves once the entry is stored (or its write failed and `error` was dispatched). */
  add(entry: NewEventsLogEntry): Promise<void> {
    this.pending.push(boundedEntry(entry));
    // Entries beyond capacity would be pruned by the very write that stores them.
    if (this.pending.length > this.capacity) this.pending.splice(0, this.pending.length - this.capacity);
    if (!this.next) {
      this.next = this.last.then(async () => {
        await new Promise((resolve) => setTimeout(resolve, EVENTS_LOG_BATCH_MS));
        const batch = this.pending;
        this.pending = [];
        this.next = undefined;
        return this.write(batch);
      });
      this.last = this.next;
    }
    return this.next;
  }

  /**
   * The page is going away, and its unfinished IndexedDB writes will be aborted: keeps the
   * entries waiting or being written in localStorage, which writes at once, until
   * `restoreKept` stores them.
   */
  keepWaiting(): void {
    const unwritten = [...this.writing, ...this.pending];
    if (unwritten.length === 0 || typeof localStorage === 'undefined') return;
    try {
      const kept: unknown = JSON.parse(localStorage.getItem(KEPT_KEY) ?? '[]');
      localStorage.setItem(KEPT_KEY, toJson([...(Array.isArray(kept) ? kept : []), ...unwritten]));
      this.pending = [];
    } catch {
      // Storage blocked or full: the writes under way may still make it.
    }
  }

  /**
   * Stores entries a page kept aside as it closed (see `keepWaiting`), oldest first, except
   * those whose write committed after all.
   */
  async restoreKept(): Promise<void> {
    if (typeof localStorage === 'undefined') return;
    let kept: NewEventsLogEntry[];
    try {
      const parsed: unknown = JSON.parse(localStorage.getItem(KEPT_KEY) ?? '[]');
      kept = Array.isArray(parsed) ? (parsed as NewEventsLogEntry[]) : [];
      // Taken out first: should this page close before they are written, it keeps them again.
      localStorage.removeItem(KEPT_KEY);
    } catch {
      return; // storage blocked, or not JSON: nothing to restore
    }
    if (kept.length === 0) return;
    const stored = new Set((await readNewest(this.db, kept.length)).map(identity));
    await Promise.all(kept.filter((entry) => !stored.has(identity(entry))).map((entry) => this.add(entry)));
  }

  private async write(batch: NewEventsLogEntry[]): Promise<void> {
    if (batch.length === 0) return;
    this.writing = batch;
    try {
      const cloneSafe = (entry: NewEventsLogEntry) => (cloneable(entry.payload) ? entry : { ...entry, payload: payloadText(entry.payload) });
      await writeEntries(this.db, batch, this.capacity, cloneSafe);
      this.writing = [];
    } catch (e) {
      this.writing = [];
      // An aborted transaction rolls back this batch only; what was stored before stays.
      this.fail(storageErrorMessage(e, 'the events log'));
      return;
    }
    for (const pluginId of new Set(batch.map((entry) => entry.pluginId))) {
      this.dispatchEvent(new CustomEvent<string>('change', { detail: pluginId }));
    }
  }

  private fail(message: string): void {
    this.dispatchEvent(new CustomEvent<string>('error', { detail: message }));
  }

  /** One plugin's entries, newest first. Waits for queued writes so a page shows them. */
  async page(pluginId: string, offset: number, limit: number): Promise<{ entries: EventsLogEntry[]; total: number }> {
    await this.last;
    return readPage(this.db, pluginId, offset, limit);
  }

  /** All of one plugin's entries, oldest first, as pretty JSON. */
  async exportJson(pluginId: string): Promise<string> {
    await this.last;
    return eventsLogJson(await readAll(this.db, pluginId));
  }

  /** Forgets one plugin's entries (on uninstall). Never throws, like `add`. */
  async deleteFor(pluginId: string): Promise<void> {
    this.pending = this.pending.filter((entry) => entry.pluginId !== pluginId);
    await this.last;
    try {
      await deleteAll(this.db, pluginId);
    } catch (e) {
      this.fail(`Could not clear the events log of ${pluginId}: ${e instanceof Error ? e.message : String(e)}.`);
      return;
    }
    this.dispatchEvent(new CustomEvent<string>('change', { detail: pluginId }));
  }
}
