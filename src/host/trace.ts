// The live trace: a bounded, in-memory record of everything plugins and the host did.
import type { TraceInput, TraceRecord } from '../shared/protocol.ts';

export const DEFAULT_TRACE_CAPACITY = 100_000;

export class Trace extends EventTarget {
  private buffer: TraceRecord[] = [];
  private nextSeq = 1;

  constructor(private readonly capacity = DEFAULT_TRACE_CAPACITY) {
    super();
  }

  add(input: TraceInput): TraceRecord {
    const record = { ...input, seq: this.nextSeq++, time: Date.now() } as TraceRecord;
    this.buffer.push(record);
    // Drop in chunks so a flood costs one splice per 10% of capacity, not one per record.
    if (this.buffer.length > this.capacity * 1.1) this.buffer.splice(0, this.buffer.length - this.capacity);
    this.dispatchEvent(new CustomEvent<TraceRecord>('record', { detail: record }));
    return record;
  }

  records(): readonly TraceRecord[] {
    return this.buffer;
  }

  /** Forgets one plugin's records (when it is uninstalled). */
  removePlugin(pluginId: string): void {
    this.buffer = this.buffer.filter((record) => record.pluginId !== pluginId);
    this.dispatchEvent(new Event('clear'));
  }

  clear(): void {
    this.buffer = [];
    this.dispatchEvent(new Event('clear'));
  }
}
