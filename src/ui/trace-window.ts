// Which trace records a view shows (the JSON view one line each, the summary one row each),
// and how that changes as records arrive and the trace forgets old ones. A view knows exactly
// the matching records the trace still has, so it is bounded by the trace's own bounds; the
// JSON view's editor holds the newest of them, and older ones as the reader scrolls up to them.
import { JSON_VIEW_CHUNK_LINES, JSON_VIEW_LINES } from '../shared/limits.ts';
import type { TraceRecord } from '../shared/trace-types.ts';
import { toJsonLine } from '../shared/trace-format.ts';

export type TraceFilter = (record: TraceRecord) => boolean;

/**
 * A change to the view's text: delete the first `drop` lines (with their newlines; all of the
 * text when that is every line), then append `append` at the very end.
 */
export interface TraceEdit {
  drop: number;
  append: string;
}

/** What the JSON view's text becomes: edited, or (when none of its lines stay) replaced. */
export type TraceChange = TraceEdit | { text: string };

export class TraceWindow {
  /** The matching records, oldest first. */
  private shown: TraceRecord[] = [];
  /**
   * The JSON view holds `shown` from this index on, one line each. Formatting a record and
   * taking its line into the editor are most of what watching the trace costs the thread that
   * answers host calls, so while the view follows the end it holds only the newest lines.
   */
  private first = 0;

  constructor(private filter: TraceFilter) {}

  /** How many records match. */
  get lines(): number {
    return this.shown.length;
  }

  /** The index among the matching records of the JSON view's first line. */
  get firstLine(): number {
    return this.first;
  }

  get records(): readonly TraceRecord[] {
    return this.shown;
  }

  /** Starts over from the trace's records (after a filter change or a clear). */
  reset(records: readonly TraceRecord[], filter = this.filter): void {
    this.filter = filter;
    this.shown = records.filter(filter);
    this.first = Math.max(0, this.shown.length - JSON_VIEW_LINES);
  }

  /** The JSON view's full text: one line per record it holds, separated by newlines. */
  text(): string {
    return lines(this.shown.slice(this.first));
  }

  /**
   * Takes in records added to the trace since the last call, `oldestSeq` being the seq of the
   * oldest record the trace still keeps: how many records left the front, which joined the end.
   */
  take(added: readonly TraceRecord[], oldestSeq: number): { drop: number; added: TraceRecord[] } {
    const drop = firstAtLeast(this.shown, oldestSeq);
    if (drop) this.shown.splice(0, drop);
    this.first = Math.max(0, this.first - drop);
    const shown = added.filter((record) => record.seq >= oldestSeq && this.filter(record));
    for (const record of shown) this.shown.push(record);
    return { drop, added: shown };
  }

  /**
   * `take`, as a change of the JSON view's text. While it `follows` the end, the view lets go
   * of its oldest lines past JSON_VIEW_LINES; lines of records that join and leave in one go
   * are never formatted.
   */
  update(added: readonly TraceRecord[], oldestSeq: number, follows: boolean): TraceChange {
    const held = this.shown.length - this.first;
    const firstBefore = this.first;
    const { drop, added: joined } = this.take(added, oldestSeq);
    let dropLines = Math.max(0, drop - firstBefore);
    if (follows) {
      const first = Math.max(this.first, this.shown.length - JSON_VIEW_LINES);
      dropLines += first - this.first;
      this.first = first;
    }
    if (dropLines > 0 && dropLines >= held) return { text: this.text() };
    const separator = held > dropLines && joined.length ? '\n' : '';
    return { drop: dropLines, append: separator + lines(joined) };
  }

  /**
   * Lines of up to JSON_VIEW_CHUNK_LINES records before the view's first line, which the
   * view now holds too (insert them at the top, with the newline after them); none at the start.
   */
  older(): { text: string; lines: number } | undefined {
    const from = Math.max(0, this.first - JSON_VIEW_CHUNK_LINES);
    if (from === this.first) return undefined;
    const text = `${lines(this.shown.slice(from, this.first))}\n`;
    const count = this.first - from;
    this.first = from;
    return { text, lines: count };
  }
}

function lines(records: readonly TraceRecord[]): string {
  return records.map(toJsonLine).join('\n');
}

/** The index of the first record with seq ≥ `seq` in a list ordered by seq. */
function firstAtLeast(records: readonly TraceRecord[], seq: number): number {
  let low = 0;
  let high = records.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (records[mid]!.seq < seq) low = mid + 1;
    else high = mid;
  }
  return low;
}
