// SoundTime's Webhook Notifier: relays events to the configured webhook_url as a JSON
// envelope {event, instance, timestamp, data}.
import { getConfig, getCurrentTimestamp, getInstanceInfo, httpPost, logInfo, logWarn } from 'playground:plugin/host@0.1.0';
import type { Event, PluginInfo } from 'playground:plugin/types@0.1.0';

function sendWebhook(event: Event): void {
  const url = getConfig('webhook_url');
  if (!url) {
    logWarn('webhook_url is not configured');
    return;
  }
  const instance = getInstanceInfo();
  const envelope = {
    event: `on_${event.tag.replaceAll('-', '_')}`,
    instance: instance.domain,
    timestamp: getCurrentTimestamp(),
    data: event.val,
  };
  const response = httpPost(url, JSON.stringify(envelope), [['content-type', 'application/json']]);
  logInfo(`delivered ${envelope.event} to ${url}: HTTP ${response.status}`);
}

export const guest = {
  metadata(): PluginInfo {
    return { name: 'webhook-notifier', version: '0.1.0', author: 'SoundTime Community', description: 'Relays events to a webhook URL.' };
  },
  onEvent(event: Event): void {
    sendWebhook(event);
  },
};
