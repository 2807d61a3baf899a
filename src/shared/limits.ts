// Every fixed cap of the playground, one line each: what it bounds and why that number.
// The limits a user can change (fuel, memory, size, HTTP) are defaults here and live in
// Settings (src/host/settings.ts); everything else is fixed. Unit conversions are at the end.

export const KiB = 1024;
export const MiB = 1024 * KiB;

// ---- what a plugin may send -----------------------------------------------------------------

/** Characters a log line keeps (SoundTime truncates log lines; 2 KiB reads fine in a trace). */
export const MAX_LOG_CHARS = 2048;
/** Log lines (log-*, stdout, stderr) one call may write; the rest are dropped with one marker. */
export const MAX_LOG_LINES_PER_CALL = 1000;
/** How deep `emit-event` may nest, so two plugins cannot ping-pong forever. */
export const MAX_EMIT_DEPTH = 4;
/** Characters a config key may have. */
export const MAX_CONFIG_KEY_CHARS = 256;
/** Bytes one config value may have (UTF-8): config is for settings, not data. */
export const MAX_CONFIG_VALUE_BYTES = 64 * KiB;
/** Page size cap of `search-tracks` / `list-users`. */
export const MAX_PER_PAGE = 100;
/** Characters a panel's message payload may have once serialised. */
export const MAX_PANEL_PAYLOAD_CHARS = 64 * KiB;

// ---- what the host keeps --------------------------------------------------------------------

/** Records the live trace keeps (newest win); enough for a long session, bounded in memory. */
export const DEFAULT_TRACE_CAPACITY = 100_000;
/** The longest string a trace record keeps: its size must not depend on what plugins send. */
export const MAX_TRACE_STRING = 4096;
/** Rows the events log keeps (SoundTime's plugin_events_log, capped so it cannot fill the quota). */
export const DEFAULT_EVENTS_LOG_CAPACITY = 5000;
/** What a Hydrust provider published, kept per plugin for its card. */
export const MAX_PUBLISHED_KEPT = 200;
/** Characters the values inside one trace record (arguments, results, payloads, headers) keep in all. */
export const MAX_TRACE_RECORD_CHARS = 16 * KiB;
/** Characters the whole trace keeps (oldest records go first): 100,000 records of the biggest kind would not fit in a tab. */
export const MAX_TRACE_CHARS = 64 * MiB;
/** Nesting a kept value may have below a record's field; deeper parts are cut (WIT values are never this deep). */
export const MAX_CLIP_DEPTH = 16;
/** Distinct short strings the host keeps one shared copy of for its records (reasons, names, keys recur). */
export const OWN_COPY_CACHE_STRINGS = 1024;
/** The longest string that shared copy is kept for: longer ones seldom recur. */
export const OWN_COPY_CACHE_MAX_CHARS = 256;
/** Characters of an event's payload an events-log row keeps: enough to tell calls apart; the trace holds more. */
export const MAX_EVENTS_LOG_PAYLOAD_CHARS = 4 * KiB;
/** Characters of a call's error an events-log row keeps (the plugin writes the message). */
export const MAX_EVENTS_LOG_ERROR_CHARS = 2 * KiB;
/** Rows at the end of the trace's summary list kept in the page, so find-in-page and screen readers reach recent records. */
export const SUMMARY_TAIL_ROWS = 400;

// ---- time -----------------------------------------------------------------------------------

/** How long reading `metadata()` at install may take before the upload is refused. */
export const METADATA_TIMEOUT_MS = 10_000;
/** How long the events log gathers entries before one IndexedDB write. */
export const EVENTS_LOG_BATCH_MS = 50;
/** Share of the main thread a live view (trace, events log) may spend drawing; the rest answers host calls. */
export const LIVE_VIEW_DRAW_SHARE = 0.05;
/** The longest a live view waits between draws, however costly they are, so it never looks frozen. */
export const LIVE_VIEW_MAX_WAIT_MS = 2000;
/** How long no new records must arrive before the summary list draws its last rows beyond the view. */
export const SUMMARY_TAIL_QUIET_MS = 300;

// ---- files ----------------------------------------------------------------------------------

/** A manifest or UI page dropped with a component; either is far smaller. */
export const MAX_TEXT_FILE_BYTES = 1 * MiB;

// ---- conversions ----------------------------------------------------------------------------

/** The time budget stands in for fuel where fuel is not counted: 1 fuel ≈ 1 µs of guest time. */
export const MS_PER_FUEL = 0.001;

export function budgetMsForFuel(fuel: number): number {
  return Math.max(1, Math.round(fuel * MS_PER_FUEL));
}

export const mibToBytes = (mib: number): number => mib * MiB;
