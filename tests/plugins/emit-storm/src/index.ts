// Test plugin: on every event it gets (a track added, or another plugin's emit) it emits 20
// events, more than one call may, and logs how many were refused. Two of these (this one, and
// emit-echo: the same build under a second name) re-emitting to each other would fan one event
// out to 20 + 20² + 20³ + 20⁴ deliveries without the host's bounds.
import { emitEvent, logInfo } from 'playground:plugin/host@0.1.0';
import type { Event, PluginInfo } from 'playground:plugin/types@0.1.0';

const EMITS = 20;

export const guest = {
  metadata(): PluginInfo {
    return { name: 'emit-storm', version: '0.1.0', author: 'tests', description: 'Emits as many events as one call may, on every event it gets.' };
  },
  onEvent(event: Event): void {
    if (event.tag !== 'track-added' && event.tag !== 'plugin-event') return;
    let refused = 0;
    let reason = '';
    for (let i = 0; i < EMITS; i++) {
      try {
        emitEvent('storm', String(i));
      } catch (e) {
        refused++;
        reason = String((e as { payload?: unknown }).payload ?? e);
      }
    }
    logInfo(`${event.tag}: ${EMITS - refused} emitted, ${refused} refused${reason ? `: ${reason}` : ''}`);
  },
};
