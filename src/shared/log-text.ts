// Plugin log lines are untrusted text: control characters are removed and long lines cut.
import { MAX_LOG_CHARS } from './limits.ts';

// C0 and C1 controls except tab; newlines become visible separators so one call is one line.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

export function cleanLogLine(message: string, max = MAX_LOG_CHARS): string {
  const clean = message.replace(/\r?\n/g, ' ⏎ ').replace(CONTROL, '');
  if (clean.length <= max) return clean;
  return `${clean.slice(0, max)}… [truncated ${clean.length - max} characters]`;
}
