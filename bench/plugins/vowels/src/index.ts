// Benchmark plugin: Extism's count_vowels, in a QuickJS guest. Counts the vowels of a plugin
// event's payload, keeps a running total, and hands the host the same JSON Extism's returns.
import { logInfo } from 'playground:plugin/host@0.1.0';
import type { Event, PluginInfo } from 'playground:plugin/types@0.1.0';

const VOWELS = 'aeiouAEIOU';
let total = 0;

export const guest = {
  metadata(): PluginInfo {
    return {
      name: 'bench-vowels',
      version: '0.1.0',
      author: 'Plugin Playground benchmarks',
      description: "Counts the vowels of a plugin event's payload and logs the count.",
    };
  },
  onEvent(event: Event): void {
    if (event.tag !== 'plugin-event') return;
    let count = 0;
    for (const ch of event.val.payload) if (VOWELS.includes(ch)) count++;
    total += count;
    logInfo(JSON.stringify({ count, total, vowels: VOWELS }));
  },
};
