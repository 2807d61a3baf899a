// The live trace: a bounded, in-memory record of everything plugins and the host did.
import { clipFields } from './clip.ts';
import { DEFAULT_TRACE_CAPACITY, MAX_TRACE_CHARS, MAX_TRACE_RECORD_CHARS, MAX_TRACE_STRING } from '../shared/limits.ts';
import type { TraceInput, TraceRecord } from '../shared/trace-types.ts';

// A flood drops records in chunks, not one at a time: the count may pass its bound by 10% before
// dropping back to it; the characters, a hard bound, drop back to 90% of theirs.
const RECORDS_SLACK = 1.1;
const CHARS_DROP_TO = 0.9;

/** What every record has from the host's own bookkeeping, never from a plugin. */
const HOST_FIELDS: ReadonlySet<string> = new Set(['kind', 'pluginId']);

/** Calls `tell` once, when the page next draws (or soon, where nothing draws). */
export type Scheduler = (tell: () => void) => void;

export const nextFrame: Scheduler = (tell) => {
  if (typeof requestAnimationFrame === 'function') requestAnimationFrame(tell);
  else setTimeout(tell, 16);
};

export interface TraceBounds {
  /** Records kept. */
  records: number;
  /** Characters kept, over all records. */
  chars: number;
}

/**
 * `add` runs on the path that answers a plugin's host call, so it only stamps, bounds and
 * buffers. Listeners hear of new records at most once a frame, all of them in one `records`
 * event (detail: the new records, oldest first); `clear` says to start over from `records()`.
 */
export class Trace extends EventTarget {
  private buffer: TraceRecord[] = [];
  /** The characters each record in `buffer` keeps, index for index. */
  private sizes: number[] = [];
  private chars = 0;
  private nextSeq = 1;
  /** The newest seq listeners have heard of. */
  private told = 0;
  private telling = false;
  private readonly bounds: TraceBounds;

  constructor(
    bounds: Partial<TraceBounds> | number = {},
    private readonly schedule: Scheduler = nextFrame,
  ) {
    super();
    const given = typeof bounds === 'number' ? { records: bounds } : bounds;
    this.bounds = { records: DEFAULT_TRACE_CAPACITY, chars: MAX_TRACE_CHARS, ...given };
  }

  add(input: TraceInput): TraceRecord {
    // Every field a plugin can reach is cut and copied: see clip.ts.
    const { value, chars } = clipFields(input, { string: MAX_TRACE_STRING, total: MAX_TRACE_RECORD_CHARS }, HOST_FIELDS);
    // The copy is the trace's own, so it is stamped in place: spreading it into a new object
    // cost more than the clipping (3 µs a record, on every host call).
    const record = Object.assign(value, { seq: this.nextSeq++, time: Date.now() }) as TraceRecord;
    this.buffer.push(record);
    this.sizes.push(chars);
    this.chars += chars;
    if (this.buffer.length > this.bounds.records * RECORDS_SLACK || this.chars > this.bounds.chars) this.dropOldest();
    if (!this.telling) {
      this.telling = true;
      this.schedule(this.tell);
    }
    return record;
  }

  /** Drops the oldest records until both bounds have room to spare again. */
  private dropOldest(): void {
    let drop = Math.max(0, this.buffer.length - this.bounds.records);
    let chars = this.chars - sum(this.sizes.slice(0, drop));
    const target = this.bounds.chars * CHARS_DROP_TO;
    while (chars > target && drop < this.buffer.length - 1) chars -= this.sizes[drop++]!;
    this.buffer.splice(0, drop);
    this.sizes.splice(0, drop);
    this.chars = chars;
  }

  private readonly tell = (): void => {
    this.telling = false;
    const added = this.since(this.told);
    this.told = this.nextSeq - 1;
    if (added.length) this.dispatchEvent(new CustomEvent<readonly TraceRecord[]>('records', { detail: added }));
  };

  records(): readonly TraceRecord[] {
    return this.buffer;
  }

  /** The seq of the newest record added, heard of yet or not (0 before the first). */
  lastSeq(): number {
    return this.nextSeq - 1;
  }

  /** The records after `seq` the trace still keeps, oldest first. */
  since(seq: number): readonly TraceRecord[] {
    let low = 0;
    let high = this.buffer.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (this.buffer[mid]!.seq <= seq) low = mid + 1;
      else high = mid;
    }
    return low === this.buffer.length ? [] : this.buffer.slice(low);
  }

  /** Forgets one plugin's records (when it is uninstalled). */
  removePlugin(pluginId: string): void {
    const keep = this.buffer.map((record) => record.pluginId !== pluginId);
    this.buffer = this.buffer.filter((_, i) => keep[i]);
    this.sizes = this.sizes.filter((_, i) => keep[i]);
    this.chars = sum(this.sizes);
    this.startOver();
  }

  clear(): void {
    this.buffer = [];
    this.sizes = [];
    this.chars = 0;
    this.startOver();
  }

  /** Listeners read `records()` afresh, which holds whatever they have not heard of yet. */
  private startOver(): void {
    this.told = this.nextSeq - 1;
    this.dispatchEvent(new Event('clear'));
  }
}

const sum = (sizes: readonly number[]) => sizes.reduce((total, size) => total + size, 0);
