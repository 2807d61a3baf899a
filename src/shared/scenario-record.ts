// What a recording writes: the events a plugin received become the steps, and what it did with
// them (results, host calls with their arguments, log lines, refused host_requests, errors)
// becomes the expectations, each string written as an exact pattern so that a replay holds only
// when the plugin does the same. Timestamps vary from run to run, so any RFC 3339 time in a
// string is written as a pattern for one.
import { isEventName } from './events.ts';
import { MAX_SCENARIO_STEPS } from './limits.ts';
import type { Expectation, ExportedRecord, Scenario, ScenarioStep } from './scenario.ts';

/** An RFC 3339 timestamp, as `get-current-timestamp`, the trace and event payloads write them. */
export const TIMESTAMP_PATTERN = String.raw`\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})`;
const TIMESTAMP = new RegExp(TIMESTAMP_PATTERN, 'g');

const SPECIAL = /[.*+?^${}()|[\]\\]/g;

/** The pattern that matches exactly `text` (any timestamp in it matching any timestamp). */
export function literalPattern(text: string): string {
  const pieces = text.split(TIMESTAMP).map((piece) => piece.replace(SPECIAL, '\\$&'));
  return `^${pieces.join(TIMESTAMP_PATTERN)}$`;
}

/**
 * The text a pattern written by literalPattern stands for (timestamps as `<timestamp>`), or
 * undefined for any other regular expression.
 */
export function literalText(pattern: string): string | undefined {
  if (!pattern.startsWith('^') || !pattern.endsWith('$')) return undefined;
  const inner = pattern.slice(1, -1).split(TIMESTAMP_PATTERN);
  const texts = inner.map((piece) => {
    let text = '';
    for (let i = 0; i < piece.length; i++) {
      const c = piece[i]!;
      if (c === '\\') {
        const next = piece[++i];
        if (next === undefined || !/[.*+?^${}()|[\]\\]/.test(next)) return undefined;
        text += next;
      } else if (/[.*+?^${}()|[\]\\]/.test(c)) {
        return undefined;
      } else {
        text += c;
      }
    }
    return text;
  });
  return texts.some((text) => text === undefined) ? undefined : texts.join('<timestamp>');
}

/** Strings become exact patterns, wherever they are. */
function literally(value: unknown): unknown {
  if (typeof value === 'string') return literalPattern(value);
  if (Array.isArray(value)) return value.map(literally);
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, literally(item)]));
  return value;
}

/** The expectation a recorded record becomes, or undefined when it is not an outcome. */
export function expectationFor(record: ExportedRecord): Expectation | undefined {
  const str = (key: string) => (typeof record[key] === 'string' ? literalPattern(record[key]) : undefined);
  switch (record.kind) {
    case 'event-result':
      return { kind: 'event-result', event: str('event'), result: str('result'), ...(record.error === undefined ? {} : { error: str('error') }) };
    case 'host-call': {
      const result = record.result as { tag?: unknown } | undefined;
      return { kind: 'host-call', fn: str('fn'), args: literally(record.args), result: { tag: literally(result?.tag) } };
    }
    case 'log':
      return { kind: 'log', level: str('level'), message: str('message') };
    case 'host-request':
      // Applied requests are host calls, recorded as such; refused and ignored ones are outcomes of their own.
      return record.outcome === 'applied' ? undefined : { kind: 'host-request', function: str('function'), outcome: str('outcome') };
    case 'error':
      return { kind: 'error', message: str('message') };
    default:
      return undefined;
  }
}

export interface Recorded {
  scenario: Scenario;
  /** The fuel each expectation's call used, where the trace counted it (aligned with `scenario.expect`). */
  fuel: Array<number | undefined>;
  /** Events past the step cap, not recorded. */
  droppedSteps: number;
}

/** A scenario from what a plugin received and did while it was recorded. */
export function recordScenario(config: Record<string, string> | undefined, records: readonly ExportedRecord[]): Recorded {
  const steps: ScenarioStep[] = [];
  const expect: Expectation[] = [];
  const fuel: Array<number | undefined> = [];
  let droppedSteps = 0;
  for (const record of records) {
    if (record.kind === 'event') {
      // Only media events can be replayed; Hydrust core events have no scenario form.
      if (!isEventName(record.event)) continue;
      if (steps.length >= MAX_SCENARIO_STEPS) droppedSteps++;
      else steps.push({ event: record.event, payload: (record.payload ?? {}) as Record<string, unknown> });
      continue;
    }
    const expectation = expectationFor(record);
    if (!expectation) continue;
    expect.push(expectation);
    fuel.push(typeof record.fuel === 'number' ? record.fuel : undefined);
  }
  return { scenario: { ...(config && Object.keys(config).length > 0 ? { config } : {}), steps, expect }, fuel, droppedSteps };
}
