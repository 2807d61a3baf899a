// Test plugin, in the real backend's output protocol: for an added track its output is not
// JSON at all; for a played track it is host_requests of every wrong shape, with one
// well-formed request last. The host must reject each bad one with a message and go on.
import { Host, Memory } from '@extism/as-pdk';
import { error_set, log_error } from '@extism/as-pdk/lib/env';

function myAbort(message: string | null, fileName: string | null, line: u32, column: u32): void {
  const what = message !== null ? message : 'abort';
  const where = fileName !== null ? fileName : '?';
  const report = `${what} at ${where}:${line}:${column}`;
  // A trap carries no message, so it goes to the host's log as well as into the call's error.
  log_error(Memory.allocateString(report).offset);
  error_set(Memory.allocateString(report).offset);
  unreachable();
}

function output(text: string): void {
  Host.output(Uint8Array.wrap(String.UTF8.encode(text)));
}

export function handle_on_track_added(): i32 {
  output('this is not JSON {"host_requests": [');
  return 0;
}

export function handle_on_track_played(): i32 {
  const requests: string[] = [
    // A function the protocol does not have.
    '{"function":"delete_all_tracks","args":{}}',
    // args not an object.
    '{"function":"set_track_metadata","args":"track_id=t1&field=genre&value=Rock"}',
    '{"function":"log_info","args":["a","list"]}',
    // track_id a number.
    '{"function":"set_track_metadata","args":{"track_id":42,"field":"genre","value":"Rock"}}',
    // Missing fields.
    '{"function":"set_track_lyrics","args":{"track_id":"t1"}}',
    '{"function":"set_config","args":{"value":"no key"}}',
    '{"function":"log_warn"}',
    '{"args":{"message":"no function"}}',
    // Not even an object.
    '"log_info"',
    '{"function":"log_info","args":{"message":"the one well-formed request"}}',
  ];
  output(`{"host_requests":[${requests.join(',')}]}`);
  return 0;
}
