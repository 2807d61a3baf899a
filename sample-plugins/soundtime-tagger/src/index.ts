// A genre tagger for the real SoundTime backend, which registers no host functions of its
// own: the plugin imports only Extism's kernel (extism:host/env) and answers with
//   {"host_requests":[{"function":"set_track_metadata","args":{"track_id":…,"field":…,"value":…}}, …]}
// which the host applies in order after the call. On on_track_added it sets a genre from
// simple title/artist rules; on on_track_played it counts the track's plays in its config.
//   asc src/index.ts --outFile soundtime-tagger.wasm --use abort=src/index/myAbort -O2
import { Config, Host, Memory } from '@extism/as-pdk';
import { error_set, log_error } from '@extism/as-pdk/lib/env';
import { parse, quote } from './json';

// The first rule with a word found in "<title> <artist>" (case-insensitive) gives the genre.
const RULES: string[][] = [
  ['Classical', 'symphony', 'sonata', 'concerto', 'nocturne', 'prelude', 'requiem', 'op.', 'orchestra', 'philharmonic'],
  ['Electronic', 'remix', 'club mix', 'house', 'techno', 'trance', 'dj'],
  ['Blues', 'blues', 'delta'],
  ['Jazz', 'jazz', 'swing', 'bebop', 'quartet', 'trio'],
  ['Hip-Hop', 'rap', 'mc', 'lil', 'feat.'],
  ['Metal', 'metal', 'doom', 'thrash'],
  ['Folk', 'folk', 'ballad', 'acoustic'],
];

function block(s: string): u64 {
  return Memory.allocateString(s).offset;
}

/** Fails the call with `message` (Extism's error), as a Rust plugin's `Err` would. */
function fail(message: string): i32 {
  error_set(block(message));
  return 1;
}

function myAbort(message: string | null, fileName: string | null, line: u32, column: u32): void {
  const what = message !== null ? message : 'abort';
  const where = fileName !== null ? fileName : '?';
  const report = `${what} at ${where}:${line}:${column}`;
  // A trap carries no message, so it goes to the host's log as well as into the call's error.
  log_error(block(report));
  error_set(block(report));
  unreachable();
}

function isWordChar(c: i32): bool {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || c >= 0x80;
}

/** Whether `word` occurs in `text` as a whole word (both already lower case). */
function hasWord(text: string, word: string): bool {
  let at = text.indexOf(word);
  while (at >= 0) {
    const end = at + word.length;
    const before = at == 0 || !isWordChar(text.charCodeAt(at - 1));
    const after = end >= text.length || !isWordChar(text.charCodeAt(end)) || !isWordChar(word.charCodeAt(word.length - 1));
    if (before && after) return true;
    at = text.indexOf(word, at + 1);
  }
  return false;
}

/** The genre for a title and artist, or null when no rule matches. */
function genreFor(title: string, artist: string): string | null {
  const text = `${title} ${artist}`.toLowerCase();
  for (let i = 0; i < RULES.length; i++) {
    const rule = RULES[i];
    for (let j = 1; j < rule.length; j++) {
      if (hasWord(text, rule[j])) return rule[0];
    }
  }
  return null;
}

/** One host request: `args` is a JSON object text. */
function request(fn: string, args: string): string {
  return `{"function":${quote(fn)},"args":${args}}`;
}

function logInfo(message: string): string {
  return request('log_info', `{"message":${quote(message)}}`);
}

/** Writes the host requests as this call's output (UTF-8, its byte length). */
function answer(requests: string[]): i32 {
  const json = `{"host_requests":[${requests.join(',')}]}`;
  Host.output(Uint8Array.wrap(String.UTF8.encode(json)));
  return 0;
}

export function handle_on_track_added(): i32 {
  const payload = parse(Host.inputString());
  if (payload === null) return fail('on_track_added: the payload is not JSON');
  const trackId = payload.getString('track_id');
  const title = payload.getString('title');
  const artist = payload.getString('artist');
  if (trackId === null || title === null || artist === null) return fail('on_track_added: the payload needs track_id, title and artist');

  const genre = genreFor(title, artist);
  if (genre === null) return answer([logInfo(`no rule matched "${title}" by ${artist}`)]);
  return answer([
    request('set_track_metadata', `{"track_id":${quote(trackId)},"field":"genre","value":${quote(genre)}}`),
    logInfo(`tagged "${title}" by ${artist} as ${genre}`),
  ]);
}

export function handle_on_track_played(): i32 {
  const payload = parse(Host.inputString());
  if (payload === null) return fail('on_track_played: the payload is not JSON');
  const trackId = payload.getString('track_id');
  if (trackId === null) return fail('on_track_played: the payload needs track_id');

  // The count so far is in the plugin's config, which Extism's config_get reads.
  const key = `plays:${trackId}`;
  const saved = Config.get(key);
  const before = saved !== null ? I32.parseInt(saved) : 0;
  const plays = (before > 0 ? before : 0) + 1;
  return answer([
    request('set_config', `{"key":${quote(key)},"value":${quote(plays.toString())}}`),
    logInfo(`${trackId} played ${plays} time${plays == 1 ? '' : 's'}`),
  ]);
}
