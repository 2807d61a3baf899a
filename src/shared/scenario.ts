// Scenarios: a plugin's inputs and the outcomes expected of them, in one JSON format shared by
// the recorder, the replayer and `npm run plugin-test`. This module parses and validates that
// format and decides whether each expectation holds; what a recording writes is in
// scenario-record.ts, the side-by-side comparison in scenario-compare.ts.
//
//   { "config": { "api_token": "abc" },
//     "steps": [ { "event": "on_peer_connected", "payload": { "peer_id": "p1", "domain": null } } ],
//     "expect": [ { "kind": "log", "message": "saw .* #2" }, { "kind": "event-result", "result": "success" } ] }
//
// `config` (optional) is the plugin's config before the first step. `steps` are media events
// with their payload fields, delivered in order, each after the previous one finished. Each
// `expect` entry holds when at least one trace record of the plugin, as the trace export writes
// it (toJsonLine), has every field the entry names: a string is a regular expression the
// record's string must match (unanchored), null also matches an absent field, an array must
// match element by element, an object names a subset of the record's object, anything else is
// equal. Unknown top-level keys are refused, so a misspelt key never silently tests nothing.
import { EVENT_FIELDS, EVENT_NAMES, isEventName, type EventName, type MediaEvent } from './events.ts';
import { MAX_CLOSEST_RECORDS, MAX_SCENARIO_STEPS } from './limits.ts';
import { TRACE_KINDS, type TraceRecord } from './trace-types.ts';
import { toJsonLine } from './trace-format.ts';

export interface ScenarioStep {
  event: EventName;
  payload: Record<string, unknown>;
}

/** Fields a trace record must have, as the export names them. */
export type Expectation = Record<string, unknown>;

export interface Scenario {
  config?: Record<string, string>;
  steps: ScenarioStep[];
  expect: Expectation[];
}

/** A trace record as the export writes it: `{seq, time, plugin, kind, ...}`. */
export type ExportedRecord = Record<string, unknown>;

export type ScenarioParse = { ok: true; scenario: Scenario } | { ok: false; problems: string[] };

export interface Check {
  index: number;
  expectation: Expectation;
  /** The first record it matched, if any. */
  matched?: ExportedRecord;
  /** When it matched none: the records that came closest, best first. */
  closest: ExportedRecord[];
}

const TOP_LEVEL = ['config', 'steps', 'expect'];

/** SoundTime's backend sends a few more fields than §5 (see soundTimePayload); they are accepted and ignored. */
const TOLERATED_FIELDS: Partial<Record<EventName, string[]>> = {
  on_peer_connected: ['track_count'],
  on_plugin_event: ['event_type', 'data'],
};

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

const show = (value: unknown) => JSON.stringify(value) ?? String(value);

function payloadProblems(where: string, event: EventName, payload: unknown): string[] {
  if (!isObject(payload)) return [`${where}.payload must be an object with the fields of ${event}.`];
  const fields = EVENT_FIELDS[event] as Record<string, string>;
  const problems: string[] = [];
  for (const [field, kind] of Object.entries(fields)) {
    const value = payload[field];
    const at = `${where}.payload.${field}`;
    if (kind === 'string?') {
      if (value !== undefined && value !== null && typeof value !== 'string') problems.push(`${at} must be a string or null, not ${show(value)}.`);
    } else if (value === undefined) {
      problems.push(`${at} is missing: ${event} carries ${Object.keys(fields).join(', ')}.`);
    } else if (kind === 'string' && typeof value !== 'string') {
      problems.push(`${at} must be a string, not ${show(value)}.`);
    } else if (kind === 'count' && !(typeof value === 'number' && Number.isSafeInteger(value) && value >= 0)) {
      problems.push(`${at} must be a whole number of 0 or more, not ${show(value)}.`);
    }
  }
  const known = [...Object.keys(fields), ...(TOLERATED_FIELDS[event] ?? [])];
  for (const field of Object.keys(payload)) {
    if (!known.includes(field)) problems.push(`${where}.payload has an unknown field "${field}": ${event} carries ${Object.keys(fields).join(', ')}.`);
  }
  return problems;
}

function patternProblems(where: string, value: unknown): string[] {
  if (typeof value === 'string') {
    try {
      new RegExp(value);
      return [];
    } catch (e) {
      return [`${where} is not a valid regular expression (${e instanceof Error ? e.message : String(e)}).`];
    }
  }
  if (Array.isArray(value)) return value.flatMap((item, i) => patternProblems(`${where}[${i}]`, item));
  if (isObject(value)) return Object.entries(value).flatMap(([key, item]) => patternProblems(`${where}.${key}`, item));
  return [];
}

function expectationProblems(where: string, entry: unknown): string[] {
  if (!isObject(entry) || Object.keys(entry).length === 0)
    return [`${where} must be an object naming at least one field of a trace record, e.g. {"kind": "log"}.`];
  const kind = entry.kind;
  if (kind !== undefined && !(TRACE_KINDS as readonly unknown[]).includes(kind)) {
    return [`${where}.kind ${show(kind)} is not a kind of trace record; the kinds are ${TRACE_KINDS.join(', ')}.`];
  }
  return patternProblems(where, entry);
}

/** Checks a parsed JSON value against the format; every problem names where it is. */
export function validateScenario(value: unknown): ScenarioParse {
  if (!isObject(value)) return { ok: false, problems: ['A scenario must be a JSON object with "steps" and "expect" (and optionally "config").'] };
  const problems: string[] = [];
  for (const key of Object.keys(value)) {
    if (!TOP_LEVEL.includes(key)) problems.push(`"${key}" is not a key of a scenario; the keys are ${TOP_LEVEL.join(', ')}.`);
  }
  const { config, steps, expect } = value;
  if (config !== undefined) {
    if (!isObject(config)) problems.push('config must be an object of strings, e.g. {"api_token": "abc"}.');
    else for (const [key, v] of Object.entries(config)) if (typeof v !== 'string') problems.push(`config.${key} must be a string, not ${show(v)}.`);
  }
  if (!Array.isArray(steps)) problems.push('steps is missing or not a list: give the events to deliver, e.g. [{"event": "on_track_added", "payload": {…}}].');
  else if (steps.length > MAX_SCENARIO_STEPS) problems.push(`steps has ${steps.length} entries; a scenario may have at most ${MAX_SCENARIO_STEPS}.`);
  else {
    steps.forEach((step: unknown, i) => {
      const where = `steps[${i}]`;
      if (!isObject(step)) return void problems.push(`${where} must be an object {"event": …, "payload": {…}}.`);
      for (const key of Object.keys(step))
        if (key !== 'event' && key !== 'payload') problems.push(`${where} has an unknown key "${key}"; a step has event and payload.`);
      if (!isEventName(step.event)) return void problems.push(`${where}.event ${show(step.event)} is not an event; the events are ${EVENT_NAMES.join(', ')}.`);
      problems.push(...payloadProblems(where, step.event, step.payload));
    });
  }
  if (!Array.isArray(expect))
    problems.push('expect is missing or not a list: give what the trace must show, e.g. [{"kind": "event-result", "result": "success"}].');
  else expect.forEach((entry: unknown, i) => problems.push(...expectationProblems(`expect[${i}]`, entry)));
  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, scenario: value as unknown as Scenario };
}

/** Parses scenario JSON text. */
export function parseScenario(text: string): ScenarioParse {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    return { ok: false, problems: [`The scenario is not valid JSON: ${e instanceof Error ? e.message : String(e)}.`] };
  }
  return validateScenario(value);
}

/** A step as the dispatcher delivers it: absent optional fields for null, JSON text for a JSON value. */
export function toMediaEvent(step: ScenarioStep): MediaEvent {
  const fields = EVENT_FIELDS[step.event] as Record<string, string>;
  const payload: Record<string, unknown> = {};
  for (const [field, kind] of Object.entries(fields)) {
    const value = step.payload[field];
    if (value === undefined || value === null) continue;
    payload[field] = kind === 'json' && typeof value !== 'string' ? JSON.stringify(value) : value;
  }
  return { name: step.event, payload } as MediaEvent;
}

/** A trace record as the export writes it, which is what expectations name. */
export function exported(record: TraceRecord): ExportedRecord {
  return JSON.parse(toJsonLine(record)) as ExportedRecord;
}

const patterns = new Map<string, RegExp>();

function pattern(source: string): RegExp {
  let re = patterns.get(source);
  if (!re) patterns.set(source, (re = new RegExp(source)));
  return re;
}

/** Whether `actual` has what `expected` names (the rules at the top of this file). */
export function matchesValue(expected: unknown, actual: unknown): boolean {
  if (typeof expected === 'string') return typeof actual === 'string' && pattern(expected).test(actual);
  if (expected === null) return actual === null || actual === undefined;
  if (Array.isArray(expected)) return Array.isArray(actual) && actual.length === expected.length && expected.every((item, i) => matchesValue(item, actual[i]));
  if (isObject(expected)) return isObject(actual) && Object.entries(expected).every(([key, item]) => matchesValue(item, actual[key]));
  return expected === actual;
}

/** How near a record comes to an expectation: its kind first, then how many named fields agree. */
function nearness(expectation: Expectation, record: ExportedRecord): number {
  const sameKind = expectation.kind === undefined || expectation.kind === record.kind;
  const fields = Object.entries(expectation).filter(([key]) => key !== 'kind');
  return (sameKind ? fields.length + 1 : 0) + fields.filter(([key, value]) => matchesValue(value, record[key])).length;
}

export function checkExpectation(expectation: Expectation, records: readonly ExportedRecord[], index = 0): Check {
  const matched = records.find((record) => matchesValue(expectation, record));
  if (matched) return { index, expectation, matched, closest: [] };
  const closest = records
    .map((record, order) => ({ record, order, score: nearness(expectation, record) }))
    .filter(({ score }) => score > 0)
    .sort((a, b) => b.score - a.score || a.order - b.order)
    .slice(0, MAX_CLOSEST_RECORDS)
    .map(({ record }) => record);
  return { index, expectation, closest };
}

/** Every expectation of the scenario against the plugin's records, in order. */
export function checkScenario(scenario: Scenario, records: readonly ExportedRecord[]): Check[] {
  return scenario.expect.map((expectation, index) => checkExpectation(expectation, records, index));
}

/** The scenario as a file, indented so that a diff of two recordings reads line by line. */
export function scenarioText(scenario: Scenario): string {
  return `${JSON.stringify(scenario, null, 2)}\n`;
}
