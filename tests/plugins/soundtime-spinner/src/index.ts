// Test plugin: loops forever on every played track; the watchdog must kill it and the next
// event find a fresh instance. Added tracks it logs and succeeds.
import { Memory } from '@extism/as-pdk';
import { error_set, log_error } from '@extism/as-pdk/lib/env';

declare class SoundTime {
  @external('extism:host/user', 'log_info')
  static log_info(message: u64): void;
}

let spins: u64 = 0;

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
  SoundTime.log_info(Memory.allocateString(`handled on_track_added normally (${spins} spins so far)`).offset);
  return 0;
}

export function handle_on_track_played(): i32 {
  SoundTime.log_info(Memory.allocateString('about to spin forever').offset);
  while (true) spins++;
  return 0;
}
