// Logs every event it receives and counts them in its config.
import { getConfig, getCurrentTimestamp, getInstanceInfo, logInfo, setConfig } from 'playground:plugin/host@0.1.0';
import type { Event, PluginInfo } from 'playground:plugin/types@0.1.0';

function bump(key: string): number {
  const next = Number(getConfig(key) ?? '0') + 1;
  setConfig(key, String(next));
  return next;
}

export const guest = {
  metadata(): PluginInfo {
    return {
      name: 'hello-events',
      version: '0.1.0',
      author: 'Plugin Playground',
      description: 'Logs every event it receives and counts them in its config.',
    };
  },

  onEvent(event: Event): void {
    const total = bump('events-seen');
    const ofKind = bump(`seen:${event.tag}`);
    const instance = getInstanceInfo();
    logInfo(`${getCurrentTimestamp()} ${instance.name}: ${event.tag} ${JSON.stringify(event.val)} ` + `(#${ofKind} of its kind, #${total} in all)`);
  },
};
