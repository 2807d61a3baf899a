// The replay view's comparison: what was recorded (a scenario's expectations, with the fuel the
// recording counted where the trace had it) beside what the plugin did now, aligned so that the
// outcomes both share sit on one row and the differences stand out: an outcome only recorded
// (missing now), one only replayed (new), or one that changed (a log line, a call's arguments,
// an event's result).
import { MAX_COMPARED_LINES } from './limits.ts';
import { matchesValue, type Expectation, type ExportedRecord } from './scenario.ts';
import { expectationFor, literalText } from './scenario-record.ts';
import { toJson } from './trace-format.ts';

export interface Side {
  text: string;
  /** What two outcomes share to count as one that changed: the kind, and the event or function. */
  key: string;
  fuel?: number;
}

export type RowStatus = 'same' | 'changed' | 'missing' | 'extra';

export interface CompareRow {
  status: RowStatus;
  recorded?: Side;
  replayed?: Side;
  /** Both sides counted fuel and the counts differ. */
  fuelDiffers: boolean;
}

export interface Comparison {
  rows: CompareRow[];
  /** Lines past MAX_COMPARED_LINES on each side, left out of the alignment. */
  notCompared: { recorded: number; replayed: number };
}

/** A pattern as a person reads it: the text of an exact pattern, quoted; any other as /…/. */
function displayValue(value: unknown): string {
  if (typeof value === 'string') {
    const text = literalText(value);
    return text === undefined ? `/${value}/` : JSON.stringify(text);
  }
  if (Array.isArray(value)) return `[${value.map(displayValue).join(',')}]`;
  if (value !== null && typeof value === 'object')
    return `{${Object.entries(value)
      .map(([k, v]) => `${JSON.stringify(k)}:${displayValue(v)}`)
      .join(',')}}`;
  return JSON.stringify(value) ?? 'null';
}

function displayText(value: unknown, otherwise: string): string {
  if (value === undefined) return otherwise;
  if (typeof value === 'string') return literalText(value) ?? `/${value}/`;
  return displayValue(value);
}

/** The fields each kind's one-line form shows; an expectation naming others is shown as JSON. */
const SHOWN_FIELDS: Record<string, string[]> = {
  'event-result': ['event', 'result', 'error'],
  'host-call': ['fn', 'args', 'result'],
  log: ['level', 'message'],
  'host-request': ['function', 'outcome'],
  error: ['message'],
};

export function describeExpectation(e: Expectation): string {
  const kind = typeof e.kind === 'string' ? e.kind : '';
  const shown = SHOWN_FIELDS[kind];
  const plainResult = e.result === undefined || (typeof e.result === 'object' && e.result !== null && Object.keys(e.result).every((k) => k === 'tag'));
  if (!shown || Object.keys(e).some((key) => key !== 'kind' && !shown.includes(key)) || (kind === 'host-call' && !plainResult)) {
    return displayValue(e);
  }
  switch (kind) {
    case 'event-result':
      return `${displayText(e.event, 'any event')} → ${displayText(e.result, 'any result')}${e.error === undefined ? '' : `: ${displayText(e.error, '')}`}`;
    case 'host-call': {
      const args = Array.isArray(e.args) ? e.args.map(displayValue).join(', ') : e.args === undefined ? '…' : displayValue(e.args);
      const tag = (e.result as { tag?: unknown } | undefined)?.tag;
      return `${displayText(e.fn, 'any host call')}(${args})${tag === undefined ? '' : ` → ${displayText(tag, '')}`}`;
    }
    case 'log':
      return `[${displayText(e.level, 'any level')}] ${displayText(e.message, '…')}`;
    case 'host-request':
      return `host_request ${displayText(e.function, 'any')}: ${displayText(e.outcome, 'any outcome')}`;
    default:
      return `error: ${displayText(e.message, '…')}`;
  }
}

export function describeRecord(r: ExportedRecord): string {
  switch (r.kind) {
    case 'event-result':
      return `${String(r.event)} → ${String(r.result)}${r.error === undefined ? '' : `: ${String(r.error)}`}`;
    case 'host-call': {
      const args = Array.isArray(r.args) ? r.args.map((a) => toJson(a)).join(', ') : toJson(r.args);
      return `${String(r.fn)}(${args}) → ${String((r.result as { tag?: unknown } | undefined)?.tag)}`;
    }
    case 'log':
      return `[${String(r.level)}] ${String(r.message)}`;
    case 'host-request':
      return `host_request ${String(r.function)}: ${String(r.outcome)}`;
    case 'error':
      return `error: ${String(r.message)}`;
    default: {
      const { seq: _seq, time: _time, plugin: _plugin, kind, ...rest } = r;
      return `${String(kind)} ${toJson(rest)}`;
    }
  }
}

const fuelOf = (value: unknown) => (typeof value === 'number' ? value : undefined);

/** The field that names what an outcome is about, by kind. */
const SUBJECT: Record<string, string> = { 'event-result': 'event', 'host-call': 'fn', 'host-request': 'function' };

function keyOf(fields: Record<string, unknown>, text: (value: unknown) => string): string {
  const kind = String(fields.kind ?? '');
  const subject = SUBJECT[kind];
  return subject ? `${kind} ${text(fields[subject])}` : kind;
}

/**
 * Aligns recorded expectations with replayed records (longest common subsequence, an outcome
 * matching an expectation counting as shared), then pairs leftovers of the same kind between
 * two shared rows as changed.
 */
export function compareOutcomes(
  expect: readonly Expectation[],
  recordedFuel: ReadonlyArray<number | undefined>,
  replayed: readonly ExportedRecord[],
): Comparison {
  const outcomes = replayed.filter((record) => expectationFor(record) !== undefined || expect.some((e) => matchesValue(e, record)));
  const left = expect.slice(0, MAX_COMPARED_LINES);
  const right = outcomes.slice(0, MAX_COMPARED_LINES);
  const n = left.length;
  const m = right.length;
  const width = m + 1;
  // lcs[i * width + j]: the longest shared run of left[i..] and right[j..].
  const lcs = new Uint16Array((n + 1) * width);
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i * width + j] = matchesValue(left[i], right[j]) ? lcs[(i + 1) * width + j + 1]! + 1 : Math.max(lcs[(i + 1) * width + j]!, lcs[i * width + j + 1]!);
    }
  }
  const recordedSide = (i: number): Side => ({ text: describeExpectation(left[i]!), key: keyOf(left[i]!, (v) => displayText(v, '')), fuel: recordedFuel[i] });
  const replayedSide = (j: number): Side => ({ text: describeRecord(right[j]!), key: keyOf(right[j]!, String), fuel: fuelOf(right[j]!.fuel) });
  const row = (status: RowStatus, recorded?: Side, replayedAt?: Side): CompareRow => ({
    status,
    recorded,
    replayed: replayedAt,
    fuelDiffers: recorded?.fuel !== undefined && replayedAt?.fuel !== undefined && recorded.fuel !== replayedAt.fuel,
  });

  const rows: CompareRow[] = [];
  let missing: Side[] = [];
  let extra: Side[] = [];
  const flushGap = () => {
    let from = 0;
    for (const gone of missing) {
      const k = extra.findIndex((side, index) => index >= from && side.key === gone.key);
      if (k < 0) {
        rows.push(row('missing', gone));
        continue;
      }
      for (const added of extra.slice(from, k)) rows.push(row('extra', undefined, added));
      rows.push(row('changed', gone, extra[k]));
      from = k + 1;
    }
    for (const added of extra.slice(from)) rows.push(row('extra', undefined, added));
    missing = [];
    extra = [];
  };
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && matchesValue(left[i], right[j]) && lcs[i * width + j] === lcs[(i + 1) * width + j + 1]! + 1) {
      flushGap();
      rows.push(row('same', recordedSide(i++), replayedSide(j++)));
    } else if (j >= m || (i < n && lcs[(i + 1) * width + j]! >= lcs[i * width + j + 1]!)) {
      missing.push(recordedSide(i++));
    } else {
      extra.push(replayedSide(j++));
    }
  }
  flushGap();
  return { rows, notCompared: { recorded: expect.length - n, replayed: outcomes.length - m } };
}
