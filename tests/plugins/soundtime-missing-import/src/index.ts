// Test plugin: imports a host function SoundTime does not provide. The host must refuse it
// by name (extism:host/user not_a_host_function) before it runs anything.
import { Memory } from '@extism/as-pdk';
import { error_set, log_error } from '@extism/as-pdk/lib/env';

declare class Missing {
  @external('extism:host/user', 'not_a_host_function')
  static not_a_host_function(message: u64): u64;
}

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
  Missing.not_a_host_function(Memory.allocateString('hello?').offset);
  return 0;
}
