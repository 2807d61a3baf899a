// The one kind of event the benchmark plugins act on: a plugin event whose name says what to
// do and whose payload is the input.
import { toWitEvent, type MediaEvent } from '../../src/shared/events.ts';

export function benchEvent(payload: string, name = 'bench'): MediaEvent {
  return { name: 'on_plugin_event', payload: { source_plugin: 'bench', event_name: name, payload } };
}

/** The event as a component plugin's worker receives it. */
export const witEvent = (payload: string, name?: string) => ({ kind: 'component' as const, value: toWitEvent(benchEvent(payload, name)) });
