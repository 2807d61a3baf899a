// SoundTime's Lyrics Fetcher as an Extism plugin in AssemblyScript: when a track is added,
// fetch its lyrics from lyrics.ovh and store them on the track.
//   asc src/index.ts --outFile soundtime-lyrics.wasm --use abort=src/index/myAbort -O2
import { Host, Memory } from '@extism/as-pdk';
import { error_set, length, log_error } from '@extism/as-pdk/lib/env';
import { parse } from './json';

// SoundTime's host functions. Every parameter and result is an Extism memory block offset.
// (A declared class, because Prettier cannot parse a decorated top-level function.)
declare class SoundTime {
  @external('extism:host/user', 'http_get')
  static http_get(url: u64, headers: u64): u64;
  @external('extism:host/user', 'set_track_lyrics')
  static set_track_lyrics(trackId: u64, lyrics: u64): void;
  @external('extism:host/user', 'log_info')
  static log_info(message: u64): void;
}

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

export function handle_on_track_added(): i32 {
  const payload = parse(Host.inputString());
  if (payload === null) return fail('on_track_added: the payload is not JSON');
  const trackId = payload.getString('track_id');
  const title = payload.getString('title');
  const artist = payload.getString('artist');
  if (trackId === null || title === null || artist === null) return fail('on_track_added: the payload needs track_id, title and artist');

  const url = `https://api.lyrics.ovh/v1/${encodeURIComponent(artist)}/${encodeURIComponent(title)}`;
  const reply = text(SoundTime.http_get(block(url), block('{}')));
  const response = reply !== null ? parse(reply) : null;
  if (response === null) return fail('http_get returned no response');

  const status = i32(response.getNumber('status', 0));
  if (status != 200) {
    SoundTime.log_info(block(`no lyrics for ${artist} - ${title} (HTTP ${status})`));
    return 0;
  }
  const body = response.getString('body');
  const found = body !== null ? parse(body) : null;
  const lyrics = found !== null ? found.getString('lyrics') : null;
  if (lyrics === null || lyrics.length == 0) return 0;
  SoundTime.set_track_lyrics(block(trackId), block(lyrics));
  SoundTime.log_info(block(`Lyrics found for: ${artist} - ${title}`));
  return 0;
}
