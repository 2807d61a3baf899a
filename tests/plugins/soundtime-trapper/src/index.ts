// Test plugin: a real wasm trap (unreachable) on every played track, an AssemblyScript abort
// (a thrown Error, routed to myAbort) on a deleted one; added tracks it logs and succeeds.
import { Memory } from '@extism/as-pdk';
import { error_set, log_error } from '@extism/as-pdk/lib/env';

declare class SoundTime {
  @external('extism:host/user', 'log_info')
  static log_info(message: u64): void;
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
  SoundTime.log_info(Memory.allocateString('handled on_track_added normally').offset);
  return 0;
}

export function handle_on_track_played(): i32 {
  SoundTime.log_info(Memory.allocateString('about to trap').offset);
  unreachable();
  return 0;
}

export function handle_on_track_deleted(): i32 {
  throw new Error('refusing to handle a deleted track');
}
