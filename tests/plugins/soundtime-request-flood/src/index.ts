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

export function handle_on_track_added(): i32 {
  const requests = new Array<string>(COUNT);
  for (let i = 0; i < COUNT; i++) {
    requests[i] = `{"function":"log_info","args":{"message":"flood request ${i + 1} of ${COUNT}"}}`;
  }
  Host.output(Uint8Array.wrap(String.UTF8.encode(`{"host_requests":[${requests.join(',')}]}`)));
  return 0;
}
