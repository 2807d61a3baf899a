// Test plugin: one event makes thousands of host calls (config key `calls` says how many, 3000
// when unset; reading it is the first), then logs how many it made, so a test sees the event
// end well while the trace is on screen; a refused call ends the storm, logging why.
import { getConfig, logInfo } from 'playground:plugin/host@0.1.0';
import type { Event, PluginInfo } from 'playground:plugin/types@0.1.0';

const DEFAULT_CALLS = 3000;

export const guest = {
  metadata(): PluginInfo {
    return { name: 'host-call-storm', version: '0.1.0', author: 'tests', description: 'Makes thousands of host calls in one event, as a busy plugin does.' };
  },
  onEvent(event: Event): void {
    if (event.tag !== 'track-added') return;
    const calls = Number(getConfig('calls') ?? DEFAULT_CALLS);
    let found = 0;
    for (let i = 1; i < calls; i++) {
      try {
        // None arrives as undefined or null, depending on the bindings' path.
        if (getConfig('storm-key') != null) found++;
      } catch (e) {
        logInfo(`storm stopped at call ${i + 1} of ${calls}: ${String((e as { payload?: unknown }).payload ?? e)}`);
        return;
      }
    }
    logInfo(`storm of ${calls} get-config calls done (${found} found) for ${event.val.title}`);
  },
};
