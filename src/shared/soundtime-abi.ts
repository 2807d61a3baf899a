// SoundTime's host functions as Extism imports (`extism:host/user`), mapped onto the playground's
// host functions, which answer them with the same permission checks as a component's calls.
// Every parameter arrives as an Extism memory block: strings as raw UTF-8, maps and records as
// JSON, u32 as 4 little-endian bytes or decimal text. Results go back as JSON (records), raw
// text (get_config, get_current_timestamp) or nothing. Pure: unit-tested in Node.
import type { HostFunctionName, HostRequest } from './protocol.ts';

type Param = 'string' | 'u32' | 'map' | 'json';
type Result = 'none' | 'json' | 'text';

interface AbiFunction {
  fn: HostFunctionName;
  params: readonly Param[];
  result: Result;
}

/** The guide's 17 functions, plus `emit_event` (which the real backend knows as a host request). */
export const SOUNDTIME_FUNCTIONS = {
  get_track: { fn: 'get-track', params: ['string'], result: 'json' },
  search_tracks: { fn: 'search-tracks', params: ['string', 'u32', 'u32'], result: 'json' },
  set_track_lyrics: { fn: 'set-track-lyrics', params: ['string', 'string'], result: 'none' },
  set_track_genre: { fn: 'set-track-genre', params: ['string', 'string'], result: 'none' },
  set_track_metadata: { fn: 'set-track-metadata', params: ['string', 'map'], result: 'none' },
  list_users: { fn: 'list-users', params: ['u32', 'u32'], result: 'json' },
  get_user: { fn: 'get-user', params: ['string'], result: 'json' },
  http_get: { fn: 'http-get', params: ['string', 'map'], result: 'json' },
  http_post: { fn: 'http-post', params: ['string', 'string', 'map'], result: 'json' },
  get_config: { fn: 'get-config', params: ['string'], result: 'text' },
  set_config: { fn: 'set-config', params: ['string', 'string'], result: 'none' },
  delete_config: { fn: 'delete-config', params: ['string'], result: 'none' },
  log_info: { fn: 'log-info', params: ['string'], result: 'none' },
  log_warn: { fn: 'log-warn', params: ['string'], result: 'none' },
  log_error: { fn: 'log-error', params: ['string'], result: 'none' },
  get_instance_info: { fn: 'get-instance-info', params: [], result: 'json' },
  get_current_timestamp: { fn: 'get-current-timestamp', params: [], result: 'text' },
  emit_event: { fn: 'emit-event', params: ['string', 'json'], result: 'none' },
} as const satisfies Record<string, AbiFunction>;

export type SoundTimeFunction = keyof typeof SOUNDTIME_FUNCTIONS;

export function isSoundTimeFunction(name: string): name is SoundTimeFunction {
  return Object.hasOwn(SOUNDTIME_FUNCTIONS, name);
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

export class AbiError extends TypeError {
  override name = 'AbiError';
}

function text(block: Uint8Array, what: string): string {
  try {
    return utf8.decode(block);
  } catch {
    throw new AbiError(`${what} is not valid UTF-8`);
  }
}

function u32(block: Uint8Array, what: string): number {
  const digits = text(block, what);
  if (/^\d{1,10}$/.test(digits) && Number(digits) <= 0xffffffff) return Number(digits);
  if (block.length === 4) return new DataView(block.buffer, block.byteOffset, 4).getUint32(0, true);
  throw new AbiError(`${what} must be a u32: 4 little-endian bytes or decimal text`);
}

/** A JSON object of strings, as WIT's `list<tuple<string, string>>`. */
function map(block: Uint8Array, what: string): Array<[string, string]> {
  const source = text(block, what);
  let value: unknown;
  try {
    value = source.trim() === '' ? {} : JSON.parse(source);
  } catch {
    throw new AbiError(`${what} must be a JSON object of strings`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new AbiError(`${what} must be a JSON object of strings`);
  return Object.entries(value).map(([key, item]) => {
    if (typeof item !== 'string') throw new AbiError(`${what}.${key} must be a string`);
    return [key, item];
  });
}

/** The playground host call a SoundTime import stands for, with its arguments decoded. */
export function decodeCall(name: SoundTimeFunction, blocks: ReadonlyArray<Uint8Array | null>): { fn: HostFunctionName; args: unknown[] } {
  const spec = SOUNDTIME_FUNCTIONS[name];
  const args = spec.params.map((param, i) => {
    const what = `${name} argument ${i + 1}`;
    const block = blocks[i];
    if (!block) throw new AbiError(`${what} is missing (offset 0)`);
    switch (param) {
      case 'string':
        return text(block, what);
      case 'u32':
        return u32(block, what);
      case 'map':
        return map(block, what);
      case 'json':
        return text(block, what);
    }
  });
  return { fn: spec.fn, args };
}

const snake = (key: string) => key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/** A WIT value as SoundTime's serde would write it: snake_case keys, numbers, null for none. */
export function toSoundTimeJson(value: unknown): unknown {
  if (typeof value === 'bigint') return Number(value);
  if (value === undefined) return null;
  if (Array.isArray(value)) return value.map(toSoundTimeJson);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [snake(key), toSoundTimeJson(item)]));
}

/** What goes back into the module's memory: text to store, or null for "nothing" (offset 0). */
export function encodeResult(name: SoundTimeFunction, value: unknown): string | null {
  const spec = SOUNDTIME_FUNCTIONS[name];
  if (spec.result === 'none' || value === undefined || value === null) return null;
  if (spec.result === 'text') return String(value);
  if (spec.fn === 'http-get' || spec.fn === 'http-post') {
    const response = value as { status: number; headers: Array<[string, string]>; body: string };
    return JSON.stringify({ status: response.status, headers: Object.fromEntries(response.headers), body: response.body });
  }
  return JSON.stringify(toSoundTimeJson(value));
}

// ---- the real backend's output protocol ---------------------------------------------------

/** What `{"host_requests": [...]}` entries mean, as the backend handles them. */
export const HOST_REQUEST_FUNCTIONS = ['set_track_metadata', 'set_track_lyrics', 'set_config', 'log_info', 'log_warn', 'log_error', 'emit_event'] as const;

export type HostRequestCall = { fn: HostFunctionName; args: unknown[] };

function field(args: Record<string, unknown>, name: string, fn: string): string {
  const value = args[name];
  if (typeof value !== 'string') throw new AbiError(`${fn}: args.${name} must be a string`);
  return value;
}

/**
 * One host request as a playground host call; an unknown function is `undefined` (ignored, as
 * the backend ignores it); wrong argument shapes throw an AbiError saying which.
 */
export function hostRequestCall(request: HostRequest): HostRequestCall | undefined {
  const name = request.function;
  if (!(HOST_REQUEST_FUNCTIONS as readonly string[]).includes(name)) return undefined;
  const args = request.args;
  if (args === null || typeof args !== 'object' || Array.isArray(args)) throw new AbiError(`${name}: args must be a JSON object`);
  const a = args as Record<string, unknown>;
  switch (name) {
    case 'set_track_metadata':
      return { fn: 'set-track-metadata', args: [field(a, 'track_id', name), [[field(a, 'field', name), field(a, 'value', name)]]] };
    case 'set_track_lyrics':
      return { fn: 'set-track-lyrics', args: [field(a, 'track_id', name), field(a, 'lyrics', name)] };
    case 'set_config':
      return { fn: 'set-config', args: [field(a, 'key', name), field(a, 'value', name)] };
    case 'emit_event': {
      const payload = a.payload;
      return { fn: 'emit-event', args: [field(a, 'event_name', name), typeof payload === 'string' ? payload : JSON.stringify(payload ?? null)] };
    }
    default:
      return { fn: name.replace('_', '-') as HostFunctionName, args: [field(a, 'message', name)] };
  }
}

/**
 * A handler's output read as the backend reads it: `{"host_requests": [...]}` gives requests
 * (at most `max`; the count of the rest is returned); empty output, `null` or any other JSON
 * gives none; output that is not JSON gives a problem to report.
 */
export function parseHandlerOutput(output: string, max: number): { requests: HostRequest[]; dropped: number; problem?: string } {
  const trimmed = output.trim();
  if (trimmed === '') return { requests: [], dropped: 0 };
  let value: unknown;
  try {
    value = JSON.parse(trimmed);
  } catch {
    return { requests: [], dropped: 0, problem: `the handler's output is not JSON (${output.length} characters); it was ignored` };
  }
  const list = value !== null && typeof value === 'object' ? (value as { host_requests?: unknown }).host_requests : undefined;
  if (list === undefined) return { requests: [], dropped: 0 };
  if (!Array.isArray(list)) return { requests: [], dropped: 0, problem: 'host_requests in the output is not an array; it was ignored' };
  const requests = list.slice(0, max).map((entry: unknown): HostRequest => {
    const item = entry !== null && typeof entry === 'object' ? (entry as Record<string, unknown>) : {};
    return { function: typeof item.function === 'string' ? item.function : String(item.function), args: item.args };
  });
  return { requests, dropped: Math.max(0, list.length - max) };
}
