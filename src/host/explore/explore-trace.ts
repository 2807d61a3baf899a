// How the Explore view's happenings reach the page's trace. No new record kinds: a stubbed
// import's call is a `host-call` whose `fn` is `<interface>#<function>` rather than one of the
// playground's host functions, and an export's call is an `event` / `event-result` pair.
import type { ExploreEvent } from '../../shared/explore-protocol.ts';
import { MAX_LOG_CHARS } from '../../shared/limits.ts';
import type { HostFunctionName } from '../../shared/protocol.ts';
import type { TraceInput } from '../../shared/trace-types.ts';

/** The trace's source column for an explored component. */
export function explorePluginId(fileName: string): string {
  return `explore:${fileName.replace(/\.wasm$/i, '')}`;
}

export function traceOfEvent(pluginId: string, event: ExploreEvent): TraceInput {
  if (event.kind === 'output') {
    return { kind: 'log', pluginId, level: event.out.stream === 'stdout' ? 'stdout' : 'stderr', message: event.out.text.slice(0, MAX_LOG_CHARS) };
  }
  return {
    kind: 'host-call',
    pluginId,
    // TraceRecord types `fn` as a playground host function; the trace shows any name as text.
    fn: event.fn as HostFunctionName,
    args: event.args,
    result: event.error === undefined ? { tag: 'ok', val: event.result } : { tag: 'err', val: event.error },
    durationMs: 0,
  };
}
