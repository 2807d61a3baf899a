// Event delivery: media events to subscribers in load order, Hydrust core events to one
// provider, `emit-event` between plugins (never back to the sender, depth-limited), and what
// Hydrust providers publish. Every delivery is traced and written to the events log.
import { MAX_EMIT_DEPTH, MAX_PUBLISHED_KEPT } from '../shared/limits.ts';
import { toWitEvent, type MediaEvent } from '../shared/events.ts';
import type { EventsLog } from './events-log.ts';
import { subscribes, type PermissionGrant } from './permissions.ts';
import type { PluginBridge } from './plugin-bridge.ts';
import type { PluginRecord } from './db.ts';
import type { Trace } from './trace.ts';

/** How deep `emit-event` may nest (an event emitted while handling an emitted event, ...). */

export type CoreEventKind = 'intent-resolve' | 'browser-observed' | 'captcha-solved';

export interface DispatcherDeps {
  /** Installed plugins in load order. */
  plugins(): Array<{ record: PluginRecord }>;
  bridge(id: string): PluginBridge | undefined;
  grantFor(id: string): PermissionGrant;
  trace: Trace;
  eventsLog: EventsLog;
  onPublished(id: string): void;
}

export class Dispatcher {
  private readonly published = new Map<string, unknown[]>();

  constructor(private readonly deps: DispatcherDeps) {}

  publishedBy(id: string): readonly unknown[] {
    return this.published.get(id) ?? [];
  }

  forget(id: string): void {
    this.published.delete(id);
  }

  /** Delivers one event to one plugin and traces both ends. */
  private async deliverTo(id: string, name: string, payload: unknown, witEvent: unknown, depth: number): Promise<void> {
    const bridge = this.deps.bridge(id);
    if (!bridge) return;
    this.deps.trace.add({ kind: 'event', pluginId: id, event: name, payload });
    const outcome = await bridge.deliver(witEvent, depth);
    this.deps.trace.add({ kind: 'event-result', pluginId: id, event: name, ...outcome });
    void this.deps.eventsLog.add({
      pluginId: id,
      event: name,
      payload,
      result: outcome.result,
      executionMs: outcome.durationMs,
      error: outcome.error,
      time: Date.now(),
    });
  }

  /**
   * Delivers a media event to every enabled plugin subscribed to it, in load order.
   * Fire-and-forget for the caller; the promise settles when all have handled it.
   */
  async dispatch(event: MediaEvent, depth = 0, except?: string): Promise<void> {
    const witEvent = toWitEvent(event);
    const targets = this.deps
      .plugins()
      .filter(
        ({ record }) => record.enabled && record.profile === 'playground' && record.id !== except && subscribes(this.deps.grantFor(record.id), event.name),
      );
    await Promise.all(targets.map(({ record }) => this.deliverTo(record.id, event.name, event.payload, witEvent, depth)));
  }

  /** Sends a Hydrust core event (`intent-resolve`, `browser-observed`, `captcha-solved`) to one provider. */
  async sendCoreEvent(id: string, kind: CoreEventKind, value: string): Promise<void> {
    const record = this.deps.plugins().find((view) => view.record.id === id)?.record;
    if (!record || record.profile !== 'hydrust' || !record.enabled) return;
    const event = {
      id: crypto.randomUUID(),
      origin: 'plugin-playground',
      timestamp: BigInt(Date.now()),
      payload: { tag: 'core', val: { tag: kind, val: value } },
    };
    await this.deliverTo(id, `core:${kind}`, { value }, event, 0);
  }

  onPublish(id: string, event: unknown): void {
    const list = this.published.get(id) ?? [];
    list.push(event);
    this.published.set(id, list.slice(-MAX_PUBLISHED_KEPT));
    this.deps.trace.add({ kind: 'published', pluginId: id, event });
    this.deps.onPublished(id);
  }

  /**
   * An action from a plugin's own UI panel: delivered to that plugin only, as a plugin event
   * from the source "ui" (its panel speaks for it, so no subscription is needed).
   */
  async uiAction(id: string, action: string, payload: unknown): Promise<void> {
    const record = this.deps.plugins().find((view) => view.record.id === id)?.record;
    if (!record?.enabled || record.profile !== 'playground') return;
    const event: MediaEvent = { name: 'on_plugin_event', payload: { source_plugin: 'ui', event_name: action, payload: JSON.stringify(payload ?? null) } };
    await this.deliverTo(id, event.name, event.payload, toWitEvent(event), 0);
  }

  /** `emit-event`: to every other plugin subscribed to on_plugin_event, never the sender. */
  emit(sourceId: string, eventName: string, payload: string): string | undefined {
    const depth = (this.deps.bridge(sourceId)?.currentDepth ?? 0) + 1;
    if (depth > MAX_EMIT_DEPTH) {
      const refused = `emit-event refused: "${eventName}" would be nested ${depth} deep; events emitted while handling emitted events stop at depth ${MAX_EMIT_DEPTH} so plugins cannot ping-pong forever`;
      this.deps.trace.add({ kind: 'error', pluginId: sourceId, message: refused });
      return refused;
    }
    void this.dispatch({ name: 'on_plugin_event', payload: { source_plugin: sourceId, event_name: eventName, payload } }, depth, sourceId);
    return undefined;
  }
}
