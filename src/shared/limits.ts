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
/** `host_requests` a SoundTime handler's output may carry; the rest are dropped, with a notice. */
export const MAX_HOST_REQUESTS_PER_CALL = 1000;
/** Characters of a SoundTime handler's output the worker reads (the backend's protocol is small JSON). */
export const MAX_HANDLER_OUTPUT_CHARS = 16 * MiB;
/** Characters a panel's message payload may have once serialised. */
export const MAX_PANEL_PAYLOAD_CHARS = 64 * KiB;

// ---- what the host keeps --------------------------------------------------------------------

/** Records the live trace keeps (newest win); enough for a long session, bounded in memory. */
export const DEFAULT_TRACE_CAPACITY = 100_000;
/** The longest string a trace record keeps: its size must not depend on what plugins send. */
export const MAX_TRACE_STRING = 4096;
/** Rows the events log keeps (SoundTime's plugin_events_log, capped so it cannot fill the quota). */
export const DEFAULT_EVENTS_LOG_CAPACITY = 5000;
/** Plugin files whose compiled modules the page keeps, so a restart does not compile again. */
export const MAX_COMPILED_FILES_KEPT = 16;
/** What a Hydrust provider published, kept per plugin for its card. */
export const MAX_PUBLISHED_KEPT = 200;

// ---- fuel -----------------------------------------------------------------------------------

/**
 * The default fuel of one call into a component (Settings). A JS engine interprets the plugin,
 * so an event costs the QuickJS samples 45k–610k and the StarlingMonkey ones 5–11.4 M (README
 * "Fuel"); this is nine times the heaviest (play-stats' first event), and a spinning guest
 * still runs out in well under a second. SoundTime modules keep SoundTime's 1,000,000.
 */
export const DEFAULT_COMPONENT_FUEL = 100_000_000;

// ---- time -----------------------------------------------------------------------------------

/** How long reading `metadata()` at install may take before the upload is refused. */
export const METADATA_TIMEOUT_MS = 10_000;
/**
 * The default time limit of one call (the watchdog, Settings): guest time, host calls not
 * counted. Fuel ends runaway guest code; this ends what fuel does not see (the generated
 * bindings' own JavaScript, the WASI shim, a start that hangs), so it is set well above what
 * any call's default fuel takes to burn in Chromium (README "Fuel").
 */
export const DEFAULT_TIME_LIMIT_MS = 10_000;
/** How long the events log gathers entries before one IndexedDB write. */
export const EVENTS_LOG_BATCH_MS = 50;

// ---- files ----------------------------------------------------------------------------------

/** A manifest or UI page dropped with a component; either is far smaller. */
export const MAX_TEXT_FILE_BYTES = 1 * MiB;

// ---- conversions ----------------------------------------------------------------------------

export const mibToBytes = (mib: number): number => mib * MiB;
