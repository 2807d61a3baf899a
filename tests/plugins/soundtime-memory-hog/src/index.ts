// Test plugin: on every played track it grows its wasm memory a page (64 KiB) at a time until
// memory.grow fails (the host's memory cap), logging how far it got, then fails the call.
// Added tracks it logs and succeeds.
import { Memory } from '@extism/as-pdk';
import { error_set, log_error } from '@extism/as-pdk/lib/env';

declare class SoundTime {
  @external('extism:host/user', 'log_info')
  static log_info(message: u64): void;
  @external('extism:host/user', 'log_warn')
  static log_warn(message: u64): void;
}

const PAGES_PER_MIB = 16;

function myAbort(message: string | null, fileName: string | null, line: u32, column: u32): void {
  const what = message !== null ? message : 'abort';
  const where = fileName !== null ? fileName : '?';
  const report = `${what} at ${where}:${line}:${column}`;
  // A trap carries no message, so it goes to the host's log as well as into the call's error.
  log_error(Memory.allocateString(report).offset);
  error_set(Memory.allocateString(report).offset);
  unreachable();
}

function log(message: string): void {
  SoundTime.log_info(Memory.allocateString(message).offset);
}

export function handle_on_track_added(): i32 {
  log(`handled on_track_added normally (${memory.size()} pages of memory)`);
  return 0;
}

export function handle_on_track_played(): i32 {
  log(`growing memory from ${memory.size()} pages until it fails`);
  let grown = 0;
  while (memory.grow(1) >= 0) {
    grown++;
    if (grown % (64 * PAGES_PER_MIB) == 0) log(`grew by ${grown / PAGES_PER_MIB} MiB`);
  }
  const total = memory.size();
  const message = `memory.grow failed after growing by ${grown} pages: ${total} pages (${total / PAGES_PER_MIB} MiB) in all`;
  SoundTime.log_warn(Memory.allocateString(message).offset);
  error_set(Memory.allocateString(message).offset);
  return 1;
}
