// Test plugin: an Extism module that is not a SoundTime plugin: it exports greet and no
// handle_* function, so there is nothing to call for its subscribed event.
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

export function greet(): i32 {
  Host.output(Uint8Array.wrap(String.UTF8.encode(`Hello, ${Host.inputString()}!`)));
  return 0;
}
