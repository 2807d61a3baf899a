// Event delivery: media events to subscribers in load order (each plugin's runtime says what the
// event becomes for it), Hydrust core events to one provider, `emit-event` between plugins
// (never back to the sender, depth-limited), and what Hydrust providers publish. Every delivery
// is traced and written to the events log.
import type { MediaEvent } from '../shared/events.ts';
import { MAX_EMIT_DELIVERIES, MAX_EMIT_DEPTH, MAX_PUBLISHED_KEPT } from '../shared/limits.ts';
import type { WorkerEvent } from '../shared/protocol.ts';
import type { TraceInput } from '../shared/trace-types.ts';
import { PANEL_SOURCE } from '../shared/reserved-names.ts';
import type { PluginRecord } from './db.ts';
import type { EventsLogEntry } from './db.ts';
import { subscribes, type PermissionGrant } from './permissions.ts';
import type { Cascade, Delivery } from './bridge-types.ts';
import type { HostRuntime, RuntimeContext } from './runtimes/types.ts';

export type CoreEventKind = 'intent-resolve' | 'browser-observed' | 'captcha-solved';

/** The part of a plugin bridge the dispatcher uses. */
export interface DeliveryTarget {
  currentDepth: number;
  /** The cascade of the event being handled now. */
  currentCascade?: Cascade;
  deliver(event: WorkerEvent | (() => Promise<WorkerEvent>), depth: number, cascade?: Cascade): Promise<Delivery>;
  /** Counts an emit of the call being handled; why it is refused when it is one too many. */
  emitRefusal(): string | undefined;
}

export interface DispatcherDeps {
  /** Installed plugins in load order. */
  plugins(): ReadonlyArray<{ readonly record: PluginRecord }>;
  bridge(id: string): DeliveryTarget | undefined;
  grantFor(id: string): PermissionGrant;
  runtimeFor(record: PluginRecord): HostRuntime;
  context: RuntimeContext;
  trace(input: TraceInput): void;
  log(entry: EventsLogEntry): void;
}

export class Dispatcher extends EventTarget {
  private readonly published = new Map<string, unknown[]>();

  constructor(private readonly deps: DispatcherDeps) {
    super();
  }

  publishedBy(id: string): readonly unknown[] {
    return this.published.get(id) ?? [];
  }

  forget(id: string): void {
    this.published.delete(id);
  }

  /** Delivers one event to one plugin and traces both ends. */
  private async deliverTo(
    id: string,
    name: string,
    payload: unknown,
    event: WorkerEvent | (() => Promise<WorkerEvent>),
    depth: number,
    cascade: Cascade = { deliveries: 0 },
  ): Promise<void> {
    const bridge = this.deps.bridge(id);
    if (!bridge) return;
    this.deps.trace({ kind: 'event', pluginId: id, event: name, payload });
    const outcome = await bridge.deliver(event, depth, cascade);
    this.deps.trace({ kind: 'event-result', pluginId: id, event: name, ...outcome });
    const { result, durationMs: executionMs, error, fuel } = outcome;
    this.deps.log({ pluginId: id, event: name, payload, result, executionMs, error, fuel, time: Date.now() });
  }

  private workerEvent(record: PluginRecord, event: MediaEvent) {
    return this.deps.runtimeFor(record).workerEvent(record, event, this.deps.context);
  }

  /**
   * Delivers a media event to every enabled plugin subscribed to it, in load order.
   * Fire-and-forget for the caller; the promise settles when all have handled it.
   */
  async dispatch(event: MediaEvent): Promise<void> {
    // Its deliveries, and what the plugins emit while handling it, are one cascade.
    const cascade: Cascade = { deliveries: 0 };
    await Promise.all(this.targets(event).map(({ record, call }) => this.deliverTo(record.id, event.name, event.payload, call, 0, cascade)));
  }

  /** The enabled plugins subscribed to `event` (but `except`) with what each is sent. */
  private targets(event: MediaEvent, except?: string) {
    const targets = [];
    for (const { record } of this.deps.plugins()) {
      if (!record.enabled || record.id === except || !subscribes(this.deps.grantFor(record.id), event.name)) continue;
      const call = this.workerEvent(record, event);
      if (call) targets.push({ record, call });
    }
    return targets;
  }

  /**
   * Delivers a media event to one plugin only (a scenario's step) and settles when it has handled
   * it; says why not when it does not take it.
   */
  async deliverOnly(id: string, event: MediaEvent): Promise<'delivered' | 'not enabled' | 'not subscribed' | 'no handler'> {
    const record = this.deps.plugins().find((view) => view.record.id === id)?.record;
    if (!record?.enabled) return 'not enabled';
    if (!subscribes(this.deps.grantFor(id), event.name)) return 'not subscribed';
    const call = this.workerEvent(record, event);
    if (!call) return 'no handler';
    await this.deliverTo(id, event.name, event.payload, call, 0);
    return 'delivered';
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
    await this.deliverTo(id, `core:${kind}`, { value }, { kind: 'component', value: event }, 0);
  }

  onPublish(id: string, event: unknown): void {
    const list = this.published.get(id) ?? [];
    list.push(event);
    this.published.set(id, list.slice(-MAX_PUBLISHED_KEPT));
    this.deps.trace({ kind: 'published', pluginId: id, event });
    this.dispatchEvent(new CustomEvent<string>('published', { detail: id }));
  }

  /**
   * An action from a plugin's own UI panel: delivered to that plugin only, as a plugin event
   * from the source "ui" (its panel speaks for it, so no subscription is needed).
   */
  async uiAction(id: string, action: string, payload: unknown): Promise<void> {
    const record = this.deps.plugins().find((view) => view.record.id === id)?.record;
    if (!record?.enabled) return;
    const event: MediaEvent = {
      name: 'on_plugin_event',
      payload: { source_plugin: PANEL_SOURCE, event_name: action, payload: JSON.stringify(payload ?? null) },
    };
    const call = this.workerEvent(record, event);
    if (call) await this.deliverTo(id, event.name, event.payload, call, 0);
  }

  /**
   * `emit-event`: to every other plugin subscribed to on_plugin_event, never the sender. Bounded
   * three ways: the nesting depth, the emits of one call, and the deliveries all emits caused by
   * one event the host delivered may add up to.
   */
  emit(sourceId: string, eventName: string, payload: string): string | undefined {
    const bridge = this.deps.bridge(sourceId);
    const depth = (bridge?.currentDepth ?? 0) + 1;
    if (depth > MAX_EMIT_DEPTH) {
      return this.refuse(
        sourceId,
        `emit-event refused: "${eventName}" would be nested ${depth} deep; events emitted while handling emitted events stop at depth ${MAX_EMIT_DEPTH} so plugins cannot ping-pong forever`,
      );
    }
    const tooMany = bridge?.emitRefusal();
    if (tooMany) return this.refuse(sourceId, tooMany);
    const event: MediaEvent = { name: 'on_plugin_event', payload: { source_plugin: sourceId, event_name: eventName, payload } };
    const targets = this.targets(event, sourceId);
    const cascade = bridge?.currentCascade ?? { deliveries: 0 };
    if (cascade.deliveries + targets.length > MAX_EMIT_DELIVERIES) {
      return this.refuse(
        sourceId,
        `emit-event refused: "${eventName}" would reach ${targets.length} plugins, past the ${MAX_EMIT_DELIVERIES} deliveries that emits may cause from one event`,
      );
    }
    cascade.deliveries += targets.length;
    for (const { record, call } of targets) void this.deliverTo(record.id, event.name, event.payload, call, depth, cascade);
    return undefined;
  }

  /** Traces a refused emit and returns the reason the plugin reads. */
  private refuse(sourceId: string, reason: string): string {
    this.deps.trace({ kind: 'error', pluginId: sourceId, message: reason });
    return reason;
  }
}
