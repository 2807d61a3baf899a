// Which trace records the JSON view shows, one line each, and how its text changes as records
// arrive and the trace forgets old ones. The view holds exactly the matching records the trace
// still has, so it is bounded by the trace's own capacity.
import type { TraceRecord } from '../shared/protocol.ts';
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
  /** The seq of the record on each line, oldest first. Lines are separated by newlines. */
  private seqs: number[] = [];

  constructor(private filter: TraceFilter) {}

  get lines(): number {
    return this.seqs.length;
  }

  /** Starts over from the trace's records (after a filter change or a clear); the full text. */
  reset(records: readonly TraceRecord[], filter = this.filter): string {
    this.filter = filter;
    const shown = records.filter(filter);
    this.seqs = shown.map((record) => record.seq);
    return lines(shown);
  }

  /**
   * Takes in records added to the trace since the last call, `oldestSeq` being the seq of the
   * oldest record the trace still keeps.
   */
  update(added: readonly TraceRecord[], oldestSeq: number): TraceEdit {
    const drop = firstAtLeast(this.seqs, oldestSeq);
    if (drop) this.seqs.splice(0, drop);
    const shown = added.filter((record) => record.seq >= oldestSeq && this.filter(record));
    const separator = this.seqs.length && shown.length ? '\n' : '';
    for (const record of shown) this.seqs.push(record.seq);
    return { drop, append: separator + lines(shown) };
  }
}

function lines(records: readonly TraceRecord[]): string {
  return records.map(toJsonLine).join('\n');
}

/** The index of the first seq ≥ `seq` in an ascending list. */
function firstAtLeast(seqs: readonly number[], seq: number): number {
  let low = 0;
  let high = seqs.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (seqs[mid]! < seq) low = mid + 1;
    else high = mid;
  }
  return low;
}
