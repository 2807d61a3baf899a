// SoundTime's ListenBrainz Scrobbler as an Extism plugin in AssemblyScript: submits each play
// to ListenBrainz with the api_token from the plugin's config, and warns when it is missing.
//   asc src/index.ts --outFile soundtime-scrobbler.wasm --use abort=src/index/myAbort -O2
import { Host, Memory } from '@extism/as-pdk';
import { error_set, length, log_error } from '@extism/as-pdk/lib/env';
import { parse, quote } from './json';

// SoundTime's host functions. Every parameter and result is an Extism memory block offset.
// (A declared class, because Prettier cannot parse a decorated top-level function.)
declare class SoundTime {
  @external('extism:host/user', 'get_config')
  static get_config(key: u64): u64;
  @external('extism:host/user', 'get_track')
  static get_track(id: u64): u64;
  @external('extism:host/user', 'http_post')
  static http_post(url: u64, body: u64, headers: u64): u64;
  @external('extism:host/user', 'log_info')
  static log_info(message: u64): void;
  @external('extism:host/user', 'log_warn')
  static log_warn(message: u64): void;
}

const SUBMIT_URL = 'https://api.listenbrainz.org/1/submit-listens';

function block(s: string): u64 {
  return Memory.allocateString(s).offset;
}

function text(offset: u64): string | null {
  return offset == 0 ? null : new Memory(offset, length(offset)).toString();
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

function digits(s: string, at: i32, count: i32): i32 {
  let n = 0;
  for (let i = 0; i < count; i++) {
    const c = s.charCodeAt(at + i) - 0x30;
    if (c < 0 || c > 9) return -1;
    n = n * 10 + c;
  }
  return n;
}

/** Seconds since the Unix epoch of an RFC 3339 timestamp, or -1 when it is not one. */
function unixSeconds(ts: string): i64 {
  // YYYY-MM-DDTHH:MM:SS[.fraction](Z|+HH:MM|-HH:MM)
  if (ts.length < 20 || ts.charAt(4) != '-' || ts.charAt(7) != '-' || ts.charAt(13) != ':' || ts.charAt(16) != ':') return -1;
  const t = ts.charAt(10);
  if (t != 'T' && t != 't' && t != ' ') return -1;
  const year = digits(ts, 0, 4);
  const month = digits(ts, 5, 2);
  const day = digits(ts, 8, 2);
  const hour = digits(ts, 11, 2);
  const minute = digits(ts, 14, 2);
  const second = digits(ts, 17, 2);
  if (year < 0 || month < 1 || month > 12 || day < 1 || day > 31 || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 60) return -1;
  let at = 19;
  if (ts.charAt(at) == '.') {
    at++;
    while (at < ts.length && digits(ts, at, 1) >= 0) at++;
  }
  let offset = 0;
  const zone = ts.charAt(at);
  if (zone == 'Z' || zone == 'z') {
    at++;
  } else if (zone == '+' || zone == '-') {
    const oh = digits(ts, at + 1, 2);
    const om = digits(ts, at + 4, 2);
    if (oh < 0 || om < 0 || ts.charAt(at + 3) != ':') return -1;
    offset = (oh * 60 + om) * 60 * (zone == '-' ? -1 : 1);
    at += 6;
  } else return -1;
  if (at != ts.length) return -1;
  const ms = Date.UTC(year, month - 1, day, hour, minute, second, 0);
  return ms / 1000 - offset;
}

export function handle_on_track_played(): i32 {
  const payload = parse(Host.inputString());
  if (payload === null) return fail('on_track_played: the payload is not JSON');
  const trackId = payload.getString('track_id');
  const timestamp = payload.getString('timestamp');
  if (trackId === null || timestamp === null) return fail('on_track_played: the payload needs track_id and timestamp');

  const token = text(SoundTime.get_config(block('api_token')));
  if (token === null || token.length == 0) {
    SoundTime.log_warn(block("api_token is not configured: set it in this plugin's config to scrobble"));
    return 0;
  }
  const listenedAt = unixSeconds(timestamp);
  if (listenedAt < 0) return fail(`on_track_played: timestamp ${quote(timestamp)} is not RFC 3339`);

  const reply = text(SoundTime.get_track(block(trackId)));
  const track = reply !== null ? parse(reply) : null;
  if (track === null) return fail(`get_track(${trackId}) returned no track`);
  const title = track.getString('title');
  const artist = track.getString('artist_name');
  if (title === null || artist === null) return fail(`get_track(${trackId}) returned no title or artist_name`);
  const album = track.getString('album_title');

  let metadata = `"artist_name":${quote(artist)},"track_name":${quote(title)}`;
  if (album !== null) metadata += `,"release_name":${quote(album)}`;
  const body = `{"listen_type":"single","payload":[{"listened_at":${listenedAt},"track_metadata":{${metadata}}}]}`;
  const headers = `{"authorization":${quote('Token ' + token)},"content-type":"application/json"}`;

  const answer = text(SoundTime.http_post(block(SUBMIT_URL), block(body), block(headers)));
  const response = answer !== null ? parse(answer) : null;
  const status = response !== null ? i32(response.getNumber('status', 0)) : 0;
  SoundTime.log_info(block(`scrobbled "${title}": HTTP ${status}`));
  return 0;
}
