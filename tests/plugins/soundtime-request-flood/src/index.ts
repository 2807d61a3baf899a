// Test plugin, in the real backend's output protocol: 100,000 log_info host_requests in one
// output for every added track (about 6 MB). The host must cap what it applies and say so.
import { Host, Memory } from '@extism/as-pdk';
import { error_set, log_error } from '@extism/as-pdk/lib/env';

const COUNT = 100_000;

function myAbort(message: string | null, fileName: string | null, line: u32, column: u32): void {
  const what = message !== null ? message : 'abort';
  const where = fileName !== null ? fileName : '?';
  const report = `${what} at ${where}:${line}:${column}`;
  // A trap carries no message, so it goes to the host's log as well as into the call's error.
  log_error(Memory.allocateString(report).offset);
  error_set(Memory.allocateString(report).offset);
  unreachable();
}

/** Writes ASCII `text` into `out` at `at`; returns the next position. */
function put(out: Uint8Array, at: i32, text: string): i32 {
  for (let i = 0; i < text.length; i++) out[at + i] = <u8>text.charCodeAt(i);
  return at + text.length;
}

export function handle_on_track_added(): i32 {
  // Written straight into one byte buffer: building 100,000 strings and joining them would
  // need several times the memory cap.
  const head = '{"host_requests":[';
  let size = head.length + 2;
  for (let i = 0; i < COUNT; i++) size += request(i).length + 1;
  const out = new Uint8Array(size);
  let at = put(out, 0, head);
  for (let i = 0; i < COUNT; i++) at = put(out, at, (i > 0 ? ',' : '') + request(i));
  at = put(out, at, ']}');
  Host.output(out.subarray(0, at));
  return 0;
}

function request(i: i32): string {
  return `{"function":"log_info","args":{"message":"flood request ${i + 1} of ${COUNT}"}}`;
}
