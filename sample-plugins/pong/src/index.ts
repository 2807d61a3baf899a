// Misbehaving on purpose (one of a pair): answers every "ping" from the other plugin with a
// "pong", so the two would bounce events forever without the host's depth limit.
import { emitEvent, logInfo } from 'playground:plugin/host@0.1.0';
import type { Event, PluginInfo } from 'playground:plugin/types@0.1.0';

export const guest = {
  metadata(): PluginInfo {
    return { name: 'pong', version: '0.1.0', author: 'Plugin Playground', description: 'Misbehaving: answers every ping with a pong (ping-pong pair).' };
  },
  onEvent(event: Event): void {
    if (event.tag === 'track-added' || (event.tag === 'plugin-event' && event.val.eventName === 'ping')) {
      logInfo('pong!');
      try {
        emitEvent('pong', '{}');
      } catch (e) {
        logInfo(`my pong was refused: ${String((e as { payload?: unknown }).payload ?? e)}`);
      }
    }
  },
};
