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
/** `emit-event`s one call may make. */
export const MAX_EMITS_PER_CALL = 16;
/** Deliveries that emits may cause, all told, from one event the host delivered (K emits a call would otherwise fan out to K + K² + K³ + K⁴). */
export const MAX_EMIT_DELIVERIES = 256;
/** Host calls one call may make (logs count as lines instead): past it they are refused, and their time is charged to the call. */
export const MAX_HOST_CALLS_PER_CALL = 10_000;
/** Characters a config key may have. */
export const MAX_CONFIG_KEY_CHARS = 256;
/** Bytes one config value may have (UTF-8): config is for settings, not data. */
export const MAX_CONFIG_VALUE_BYTES = 64 * KiB;
/** Config keys one plugin may keep. */
export const MAX_CONFIG_KEYS = 256;
/** Bytes (UTF-8, keys and values) one plugin's config may add up to. */
export const MAX_CONFIG_TOTAL_BYTES = 1 * MiB;
/** Characters of a track's lyrics a plugin may write. */
export const MAX_TRACK_LYRICS_CHARS = 64 * KiB;
/** Characters of any other track field (title, genre, an extra field's value…) a plugin may write. */
export const MAX_TRACK_FIELD_CHARS = 1024;
/** Extra metadata fields one track may hold. */
export const MAX_TRACK_EXTRA_FIELDS = 64;
/** Page size cap of `search-tracks` / `list-users`. */
export const MAX_PER_PAGE = 100;
/** `host_requests` a SoundTime handler's output may carry; the rest are dropped, with a notice. */
export const MAX_HOST_REQUESTS_PER_CALL = 1000;
/** Characters of a SoundTime handler's output the worker reads (the backend's protocol is small JSON). */
export const MAX_HANDLER_OUTPUT_CHARS = 16 * MiB;
/** Characters a panel's message payload may have once serialised. */
export const MAX_PANEL_PAYLOAD_CHARS = 64 * KiB;
/** The share of a SoundTime plugin's memory cap that Extism's memory blocks (input, output, vars) get; its module's memory gets the rest. */
export const EXTISM_BLOCKS_SHARE = 0.25;
/** Bytes one `wasi:random` call may ask for: engines ask for a seed's worth, not gigabytes. */
export const MAX_RANDOM_BYTES = 1 * MiB;

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
/**
 * Lines the trace's JSON view holds while it follows the newest records (about 20 screens):
 * each line is formatted and taken into the editor on the thread that answers host calls.
 */
export const JSON_VIEW_LINES = 500;
/** Older lines the JSON view takes in at a time when the reader scrolls up to its first line. */
export const JSON_VIEW_CHUNK_LINES = 1000;

// ---- scenarios (record, replay, npm run plugin-test) -----------------------------------------

/** Bytes of a scenario file the replayer reads: a long recording with its outcomes fits. */
export const MAX_SCENARIO_BYTES = 16 * MiB;
/** Steps one scenario may have; a recording stops taking events past this. */
export const MAX_SCENARIO_STEPS = 10_000;
/** Trace records a recording keeps as outcomes; past this it stops, saying so. */
export const MAX_RECORDED_OUTCOMES = 50_000;
/** Outcome lines per side the replay view aligns (the alignment is quadratic); the rest are counted. */
export const MAX_COMPARED_LINES = 1000;
/** The closest records named for an expectation that held for none. */
export const MAX_CLOSEST_RECORDS = 2;
/** Characters of each such record the runner prints. */
export const MAX_CLOSEST_CHARS = 400;

// ---- fuel -----------------------------------------------------------------------------------

/**
 * The default fuel of one call into a component (Settings). A JS engine interprets the plugin,
 * so an event costs the QuickJS samples 45k–610k and the StarlingMonkey ones 5–11.4 M (README
 * "Fuel"); this is nine times the heaviest (play-stats' first event), and a spinning guest
 * still runs out in well under a second. SoundTime modules keep SoundTime's 1,000,000.
 */
export const DEFAULT_COMPONENT_FUEL = 100_000_000;

// ---- time -----------------------------------------------------------------------------------

/**
 * How long the watchdog waits for a worker to say how much guest time it used before it kills it:
 * only a running guest stays silent. A worker that is not running its guest answers within one
 * message round trip (well under a millisecond); the rest is room for a late page. Short enough
 * that a spinning guest is rejected within its budget + 50 ms.
 */
export const WATCHDOG_GRACE_MS = 25;
/** How long instantiating a plugin may take (StarlingMonkey needs ~0.5 s; a start that spins is killed). */
export const START_TIMEOUT_MS = 10_000;
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
/**
 * Calls of one plugin in one events-log row (IndexedDB record). A row per call cost the main
 * thread 20-35 µs each in a flood, about as much as the call; a row costs one clone and one
 * request. Rows of a burst are placed one per task, so in between the page answers host calls.
 */
export const EVENTS_LOG_ROW_ENTRIES = 100;
/**
 * Other tabs hear of library changes at most this often: a plugin that tags tracks in a flood
 * makes each other tab re-read its library a few times a second, not once per track.
 */
export const CATALOG_NOTICE_MS = 100;
/**
 * How long after a plugin start the next spare worker begins when no event came first (see
 * src/host/spare-worker.ts): late enough that the start's own aftermath is over.
 */
export const SPARE_WORKER_REFILL_MS = 500;
/** How long a download's blob URL is kept: revoking it at once can cancel the download before the browser read it. */
export const DOWNLOAD_URL_KEEP_MS = 10_000;
/** How often a watched plugin file is checked for a new build; a change is read once it holds for one more check. */
export const WATCH_POLL_MS = 500;
/** How long `npm run plugin-test` waits for one phase (page, install, start, the whole scenario) before it gives up. */
export const PLUGIN_TEST_PHASE_MS = 180_000;
/** Share of the main thread a live view (trace, events log) may spend drawing; the rest answers host calls. */
export const LIVE_VIEW_DRAW_SHARE = 0.05;
/** The longest a live view waits between draws, however costly they are, so it never looks frozen. */
export const LIVE_VIEW_MAX_WAIT_MS = 2000;
/**
 * While changes keep coming (a burst of calls), a live view draws once they pause this long, or
 * this long after the first at the latest: a burst is drawn after it, not in its middle.
 */
export const LIVE_VIEW_PAUSE_MS = 50;
export const LIVE_VIEW_BURST_WAIT_MS = 250;
/** How long no new records must arrive before the summary list draws its last rows beyond the view. */
export const SUMMARY_TAIL_QUIET_MS = 300;

// ---- files ----------------------------------------------------------------------------------

/** A manifest or UI page dropped with a component; either is far smaller. */
export const MAX_TEXT_FILE_BYTES = 1 * MiB;

// ---- explore ------------------------------------------------------------------------------

/** How long an explored component may take to instantiate (a JS engine compiles megabytes) before it is refused. */
export const EXPLORE_START_TIMEOUT_MS = 30_000;
/** Characters of a call's result the Explore view shows; the rest is cut with a marker, the trace keeps its own cap. */
export const MAX_EXPLORE_RESULT_CHARS = 64 * KiB;

// ---- conversions ----------------------------------------------------------------------------

export const mibToBytes = (mib: number): number => mib * MiB;

// ---- network and manifests ------------------------------------------------------------------

/** Entries in one manifest's `http_hosts`: more hosts than this want a `*.domain` wildcard, and the review stays readable. */
export const MAX_HTTP_HOSTS = 256;
/** Parsed allowlists the fetch proxy keeps, most recently used first: one per running plugin, with room to spare. */
export const MAX_COMPILED_ALLOWLISTS = 64;
/** Characters of a URL a plugin may request: common servers and CDNs refuse request lines over 8 KiB. */
export const MAX_HTTP_URL_CHARS = 8192;
/** Headers one plugin request may carry; real APIs need a handful. */
export const MAX_HTTP_REQUEST_HEADERS = 64;
/** Bytes of one request's header names and values together (UTF-8): Node and most proxies refuse more than 16 KiB. */
export const MAX_HTTP_REQUEST_HEADER_BYTES = 16 * KiB;
/** Bytes of an `http-post` body (UTF-8): webhooks and scrobbles are a few KiB, and the body crosses the worker boundary as a copy. */
export const MAX_HTTP_REQUEST_BODY_BYTES = 1 * MiB;
/** How long the manifest editor waits after the last keystroke before validating: skips half-typed states, still feels live. */
export const MANIFEST_VALIDATE_DELAY_MS = 250;
/** http_hosts entries a denial reason quotes before "… N more": enough to see what was listed, one trace line long. */
export const MAX_REASON_HOSTS_SHOWN = 10;
/** Ignored (invalid) http_hosts entries a denial reason explains before "and N more". */
export const MAX_IGNORED_ENTRIES_SHOWN = 3;
/** Characters of an unparsable URL a denial reason echoes: enough to recognise it. */
export const MAX_REASON_URL_CHARS = 200;
