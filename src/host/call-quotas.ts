// What one call into a plugin may ask of the page, counted per call: log lines (log-*, stdout,
// stderr) past MAX_LOG_LINES_PER_CALL are dropped, with a marker when the cap is reached and the
// number dropped when the call ends; emits past MAX_EMITS_PER_CALL are refused. (Host calls past
// their quota never reach the page: the worker refuses them, see worker/page-port.ts.)
import { MAX_EMITS_PER_CALL, MAX_LOG_LINES_PER_CALL } from '../shared/limits.ts';
import type { TraceInput } from '../shared/trace-types.ts';

export class CallQuotas {
  private lines = 0;
  private emits = 0;

  constructor(
    private readonly pluginId: string,
    private readonly trace: (input: TraceInput) => void,
  ) {}

  /** A call begins. */
  reset(): void {
    this.lines = 0;
    this.emits = 0;
  }

  /** Counts a line against the call's cap; false when it should be dropped. */
  admitLog(): boolean {
    this.lines++;
    if (this.lines === MAX_LOG_LINES_PER_CALL + 1) {
      this.warn(`… log limit reached: further lines from this call are dropped (at most ${MAX_LOG_LINES_PER_CALL} per call)`);
    }
    return this.lines <= MAX_LOG_LINES_PER_CALL;
  }

  /** Counts an `emit-event`; the refusal the plugin reads when it is one too many. */
  emitRefusal(): string | undefined {
    this.emits++;
    if (this.emits <= MAX_EMITS_PER_CALL) return undefined;
    return `emit-event refused: this call has emitted ${MAX_EMITS_PER_CALL} events, the most one call may emit`;
  }

  /** The call ended: says how many of its lines were dropped, if any were. */
  end(): void {
    if (this.lines > MAX_LOG_LINES_PER_CALL) this.warn(`… ${this.lines - MAX_LOG_LINES_PER_CALL} log lines were dropped from this call`);
  }

  private warn(message: string): void {
    this.trace({ kind: 'log', pluginId: this.pluginId, level: 'warn', message });
  }
}
