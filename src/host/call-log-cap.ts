// The cap on one call's log lines (log-*, stdout, stderr): past MAX_LOG_LINES_PER_CALL they are
// dropped, with a marker when the cap is reached and the number dropped when the call ends.
import { MAX_LOG_LINES_PER_CALL } from '../shared/limits.ts';
import type { TraceInput } from '../shared/protocol.ts';

export class CallLogCap {
  private lines = 0;

  constructor(
    private readonly pluginId: string,
    private readonly trace: (input: TraceInput) => void,
  ) {}

  /** A call begins. */
  reset(): void {
    this.lines = 0;
  }

  /** Counts a line against the call's cap; false when it should be dropped. */
  admit(): boolean {
    this.lines++;
    if (this.lines === MAX_LOG_LINES_PER_CALL + 1) {
      this.warn(`… log limit reached: further lines from this call are dropped (at most ${MAX_LOG_LINES_PER_CALL} per call)`);
    }
    return this.lines <= MAX_LOG_LINES_PER_CALL;
  }

  /** The call ended: says how many of its lines were dropped, if any were. */
  end(): void {
    if (this.lines > MAX_LOG_LINES_PER_CALL) this.warn(`… ${this.lines - MAX_LOG_LINES_PER_CALL} log lines were dropped from this call`);
  }

  private warn(message: string): void {
    this.trace({ kind: 'log', pluginId: this.pluginId, level: 'warn', message });
  }
}
