// The live trace: a bounded, in-memory record of everything plugins and the host did.
import { DEFAULT_TRACE_CAPACITY, MAX_TRACE_STRING } from '../shared/limits.ts';
import type { TraceInput, TraceRecord } from '../shared/protocol.ts';

function clip(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') {
    return value.length <= MAX_TRACE_STRING ? value : `${value.slice(0, MAX_TRACE_STRING)}… [${value.length - MAX_TRACE_STRING} more characters]`;
  }
  if (value === null || typeof value !== 'object' || depth > 16) return value;
  if (ArrayBuffer.isView(value)) return value.byteLength <= MAX_TRACE_STRING ? value : `<${value.byteLength} bytes>`;
  if (Array.isArray(value)) return value.map((item: unknown) => clip(item, depth + 1));
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, clip(item, depth + 1)]));
}

/** The record's plugin-supplied parts, clipped; the rest is the host's own and small. */
function bounded(input: TraceInput): TraceInput {
  switch (input.kind) {
    case 'event':
      return { ...input, payload: clip(input.payload) };
    case 'host-call':
      return { ...input, args: clip(input.args) as unknown[], result: clip(input.result) as typeof input.result };
    case 'published':
      return { ...input, event: clip(input.event) };
    case 'log':
    case 'error':
      return { ...input, message: clip(input.message) as string };
    default:
      return input;
  }
}

export class Trace extends EventTarget {
  private buffer: TraceRecord[] = [];
  private nextSeq = 1;

  constructor(private readonly capacity = DEFAULT_TRACE_CAPACITY) {
    super();
  }

  add(input: TraceInput): TraceRecord {
    const record = { ...bounded(input), seq: this.nextSeq++, time: Date.now() } as TraceRecord;
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
