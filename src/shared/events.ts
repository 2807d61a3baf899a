// The media-server events, as SoundTime names them, and their shape on the WIT side.
// Pure data and conversions: used by the host, the UI and tests alike.

export const EVENT_NAMES = [
  'on_track_added',
  'on_track_played',
  'on_track_deleted',
  'on_library_scan_complete',
  'on_user_registered',
  'on_user_login',
  'on_playlist_created',
  'on_peer_connected',
  'on_peer_disconnected',
  'on_plugin_event',
] as const;

export type EventName = (typeof EVENT_NAMES)[number];

export function isEventName(value: unknown): value is EventName {
  return typeof value === 'string' && (EVENT_NAMES as readonly string[]).includes(value);
}

/** Payloads as the manifest and the trace see them (SoundTime's field names). */
export interface EventPayloads {
  on_track_added: { track_id: string; title: string; artist: string; album?: string };
  on_track_played: { track_id: string; user_id: string; timestamp: string };
  on_track_deleted: { track_id: string };
  on_library_scan_complete: { library_id: string; tracks_added: number; tracks_removed: number };
  on_user_registered: { user_id: string; username: string };
  on_user_login: { user_id: string; timestamp: string };
  on_playlist_created: { playlist_id: string; user_id: string; name: string };
  on_peer_connected: { peer_id: string; domain?: string };
  on_peer_disconnected: { peer_id: string };
  on_plugin_event: { source_plugin: string; event_name: string; payload: string };
}

/**
 * Each event's payload fields and their kind, for payloads that come from outside (a scenario
 * file): `string`, `string?` (may be absent or null), `count` (a whole number >= 0, a u64 on
 * the WIT side), `json` (JSON text; any other JSON value is written out as text).
 */
export const EVENT_FIELDS: { [N in EventName]: Record<keyof EventPayloads[N], 'string' | 'string?' | 'count' | 'json'> } = {
  on_track_added: { track_id: 'string', title: 'string', artist: 'string', album: 'string?' },
  on_track_played: { track_id: 'string', user_id: 'string', timestamp: 'string' },
  on_track_deleted: { track_id: 'string' },
  on_library_scan_complete: { library_id: 'string', tracks_added: 'count', tracks_removed: 'count' },
  on_user_registered: { user_id: 'string', username: 'string' },
  on_user_login: { user_id: 'string', timestamp: 'string' },
  on_playlist_created: { playlist_id: 'string', user_id: 'string', name: 'string' },
  on_peer_connected: { peer_id: 'string', domain: 'string?' },
  on_peer_disconnected: { peer_id: 'string' },
  on_plugin_event: { source_plugin: 'string', event_name: 'string', payload: 'json' },
};

export type MediaEvent = {
  [N in EventName]: { name: N; payload: EventPayloads[N] };
}[EventName];

/** The `event` variant of `playground:plugin/types`, as jco represents it in JS. */
export interface WitEvent {
  tag: string;
  val: Record<string, string | bigint | undefined>;
}

/**
 * `make(text)`, kept: every delivery converts the same few names, and the regular expressions
 * cost more than the rest of the conversion. Bounded, should a scenario bring fields of its own.
 */
function memo(make: (text: string) => string): (text: string) => string {
  const kept = new Map<string, string>();
  return (text) => {
    let out = kept.get(text);
    if (out === undefined) {
      if (kept.size >= 256) kept.clear();
      kept.set(text, (out = make(text)));
    }
    return out;
  };
}

/** `on_track_added` -> `track-added` */
export const witCaseOf: (name: EventName) => string = memo((name) => name.replace(/^on_/, '').replaceAll('_', '-'));

/** `source_plugin` -> `sourcePlugin` */
const camel = memo((field) => field.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase()));

/** Converts a media event to the WIT variant: camelCase fields, u64 counters as bigint. */
export function toWitEvent(event: MediaEvent): WitEvent {
  const val: Record<string, string | bigint | undefined> = {};
  for (const [key, value] of Object.entries(event.payload)) {
    val[camel(key)] = typeof value === 'number' ? BigInt(value) : (value as string | undefined);
  }
  return { tag: witCaseOf(event.name), val };
}

/** Labels for the UI. */
export const EVENT_LABELS: Record<EventName, string> = {
  on_track_added: 'Track added',
  on_track_played: 'Track played',
  on_track_deleted: 'Track deleted',
  on_library_scan_complete: 'Library scan complete',
  on_user_registered: 'User registered',
  on_user_login: 'User logged in',
  on_playlist_created: 'Playlist created',
  on_peer_connected: 'Peer connected',
  on_peer_disconnected: 'Peer disconnected',
  on_plugin_event: 'Plugin event',
};
