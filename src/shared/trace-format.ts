// Renders trace values as text: bigint-safe JSON, and one line per record for the trace view.
import type { TraceRecord } from './trace-types.ts';

/** JSON that keeps bigint (u64/s64 from WIT) as numbers-in-text instead of throwing. */
export function toJson(value: unknown, space?: number): string {
  return (
    JSON.stringify(
      value,
      (_key, v: unknown) => {
        if (typeof v === 'bigint') return Number.isSafeInteger(Number(v)) ? Number(v) : v.toString();
        if (v instanceof Uint8Array) return `<${v.length} bytes>`;
        return v;
      },
      space,
    ) ?? 'undefined'
  );
}

function argsText(args: unknown[]): string {
  return args.map((a) => toJson(a)).join(', ');
}

const fuelText = (fuel: number) => `${fuel.toLocaleString('en')} fuel`;

/** One human-readable line: what the trace panel shows for a record. */
export function summarize(record: TraceRecord): string {
  switch (record.kind) {
    case 'event':
      return `→ ${record.event} ${toJson(record.payload)}`;
    case 'event-result': {
      // Out of fuel, the error says the budget, which is what it used.
      const fuel =
        record.fuel === undefined || record.limit === 'fuel' ? '' : record.result === 'success' ? `, ${fuelText(record.fuel)}` : ` (${fuelText(record.fuel)})`;
      const guest = record.guestMs === undefined ? '' : ` (guest time ${record.guestMs.toFixed(1)} ms)`;
      return record.result === 'success'
        ? `✓ ${record.event} handled in ${record.durationMs.toFixed(1)} ms${guest}${fuel}`
        : `✗ ${record.event} ${record.result === 'error' ? 'failed' : record.result} after ${record.durationMs.toFixed(1)} ms${guest}: ${record.error ?? ''}${fuel}`;
    }
    case 'host-call': {
      const { tag, val } = record.result;
      const outcome = tag === 'err' ? `err ${toJson(val)}` : val === undefined ? 'ok' : toJson(val);
      const fuel = record.fuel === undefined ? '' : `, after ${fuelText(record.fuel)}`;
      return `${record.fn}(${argsText(record.args)}) → ${outcome} [${record.durationMs.toFixed(1)} ms${fuel}]`;
    }
    case 'permission':
      return `${record.allowed ? 'allowed' : 'DENIED'} ${record.fn}: ${record.reason}`;
    case 'log':
      return `[${record.level}] ${record.message}`;
    case 'lifecycle':
      return `${record.step}: ${record.detail}${record.durationMs === undefined ? '' : ` (${record.durationMs.toFixed(0)} ms)`}`;
    case 'http':
      return `${record.allowed ? 'allowed' : 'DENIED'} ${record.method} ${record.url}: ${record.reason}${record.requestHeaders.length ? ` headers ${toJson(record.requestHeaders)}` : ''}`;
    case 'http-response':
      return `${record.status} from ${record.url}: ${record.bodyBytes} bytes in ${record.durationMs.toFixed(0)} ms, headers ${toJson(record.responseHeaders)}`;
    case 'published':
      return `publish ${toJson(record.event)}`;
    case 'host-request':
      return `host_request ${record.function} ${toJson(record.args)}: ${record.outcome}${record.reason ? ` (${record.reason})` : ''}`;
    case 'error':
      return `error: ${record.message}`;
  }
}

/**
 * One record as one line of JSON (JSON Lines): what the trace editor shows and the export
 * writes. Line and paragraph separators are escaped too, so no editor breaks the line there.
 */
export function toJsonLine(record: TraceRecord): string {
  const { seq, time, pluginId, kind, ...rest } = record;
  return toJson({ seq, time: new Date(time).toISOString(), plugin: pluginId, kind, ...rest }).replace(
    /[\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16)}`,
  );
}
