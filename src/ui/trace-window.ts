// Which trace records a view shows (the JSON view one line each, the summary one row each),
// and how that changes as records arrive and the trace forgets old ones. A view holds exactly
// the matching records the trace still has, so it is bounded by the trace's own bounds.
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

export class TraceWindow {
  /** The matching records, oldest first; in the JSON view, one line each. */
  private shown: TraceRecord[] = [];

  constructor(private filter: TraceFilter) {}

  get lines(): number {
    return this.shown.length;
  }

  get records(): readonly TraceRecord[] {
    return this.shown;
  }

  /** Starts over from the trace's records (after a filter change or a clear). */
  reset(records: readonly TraceRecord[], filter = this.filter): void {
    this.filter = filter;
    this.shown = records.filter(filter);
  }

  /** The JSON view's full text: one line per record, separated by newlines. */
  text(): string {
    return lines(this.shown);
  }

  /**
   * Takes in records added to the trace since the last call, `oldestSeq` being the seq of the
   * oldest record the trace still keeps: how many records left the front, which joined the end.
   */
  take(added: readonly TraceRecord[], oldestSeq: number): { drop: number; added: TraceRecord[] } {
    const drop = firstAtLeast(this.shown, oldestSeq);
    if (drop) this.shown.splice(0, drop);
    const shown = added.filter((record) => record.seq >= oldestSeq && this.filter(record));
    for (const record of shown) this.shown.push(record);
    return { drop, added: shown };
  }

  /** `take`, as an edit of the JSON view's text. */
  update(added: readonly TraceRecord[], oldestSeq: number): TraceEdit {
    const { drop, added: shown } = this.take(added, oldestSeq);
    const separator = this.shown.length > shown.length && shown.length ? '\n' : '';
    return { drop, append: separator + lines(shown) };
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
