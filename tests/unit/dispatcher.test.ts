import { describe, expect, it } from 'vitest';
import type { PluginRecord } from '../../src/host/db.ts';
import { Dispatcher, type DeliveryTarget } from '../../src/host/dispatcher.ts';
import { NO_GRANT, type PermissionGrant } from '../../src/host/permissions.ts';
import { CallQuotas } from '../../src/host/call-quotas.ts';
import type { Cascade, Delivery } from '../../src/host/bridge-types.ts';
import { ComponentHostRuntime } from '../../src/host/runtimes/component.ts';
import type { Compiler } from '../../src/host/compiler.ts';
import type { EventName } from '../../src/shared/events.ts';
import { MAX_EMIT_DELIVERIES, MAX_EMIT_DEPTH, MAX_EMITS_PER_CALL } from '../../src/shared/limits.ts';
import type { WorkerEvent } from '../../src/shared/protocol.ts';
import type { TraceInput } from '../../src/shared/trace-types.ts';

interface Fake {
  id: string;
  events: EventName[];
  enabled?: boolean;
  /** What its handler does with each delivery. */
  onEvent?: (event: WorkerEvent, bridge: FakeBridge) => Promise<Delivery['result']> | Delivery['result'];
}

/** A bridge as the dispatcher sees it: one call at a time, with the real per-call quotas. */
class FakeBridge implements DeliveryTarget {
  currentDepth = 0;
  currentCascade?: Cascade;
  readonly received: Array<{ tag: string; depth: number }> = [];
  private readonly quotas = new CallQuotas('fake', () => {});
  private queue: Promise<unknown> = Promise.resolve();
  constructor(
    readonly fake: Fake,
    private readonly log: string[],
  ) {}
  deliver(event: WorkerEvent | (() => Promise<WorkerEvent>), depth: number, cascade?: Cascade): Promise<Delivery> {
    const run = this.queue.then(() => this.handle(event, depth, cascade));
    this.queue = run.catch(() => {});
    return run;
  }
  private async handle(event: WorkerEvent | (() => Promise<WorkerEvent>), depth: number, cascade?: Cascade): Promise<Delivery> {
    const message = typeof event === 'function' ? await event() : event;
    const value = message.kind === 'component' ? (message.value as { tag: string }) : { tag: message.handler };
    this.received.push({ tag: value.tag, depth });
    this.log.push(this.fake.id);
    this.currentDepth = depth;
    this.currentCascade = cascade;
    this.quotas.reset();
    try {
      const result = (await this.fake.onEvent?.(message, this)) ?? 'success';
      return { result, durationMs: 1, error: result === 'success' ? undefined : 'it failed' };
    } finally {
      this.currentDepth = 0;
      this.currentCascade = undefined;
    }
  }
  emitRefusal(): string | undefined {
    return this.quotas.emitRefusal();
  }
}

const settle = async () => {
  for (let i = 0; i < 50; i++) await new Promise((resolve) => setTimeout(resolve, 0));
};

function setup(fakes: Fake[]) {
  const order: string[] = [];
  const trace: TraceInput[] = [];
  const logged: string[] = [];
  const bridges = new Map(fakes.map((fake) => [fake.id, new FakeBridge(fake, order)]));
  const records = fakes.map(
    (fake, i) => ({ id: fake.id, profile: 'playground', enabled: fake.enabled ?? true, order: i, exports: [] }) as unknown as PluginRecord,
  );
  const grant = (fake: Fake): PermissionGrant => ({ ...NO_GRANT, events: fake.events });
  const runtime = new ComponentHostRuntime({} as Compiler);
  const dispatcher = new Dispatcher({
    plugins: () => records.map((record) => ({ record })),
    bridge: (id) => bridges.get(id),
    grantFor: (id) => grant(fakes.find((fake) => fake.id === id)!),
    runtimeFor: () => runtime,
    context: { config: async () => ({}) },
    trace: (input) => trace.push(input),
    log: (entry) => logged.push(`${entry.pluginId} ${entry.event} ${entry.result}`),
  });
  return { dispatcher, order, trace, logged, bridges };
}

const added = { name: 'on_track_added' as const, payload: { track_id: 't1', title: 'So What', artist: 'Miles Davis' } };

describe('dispatcher', () => {
  it('delivers to enabled subscribers only, in load order, and logs every call', async () => {
    const { dispatcher, order, logged } = setup([
      { id: 'first', events: ['on_track_added'] },
      { id: 'not-subscribed', events: ['on_track_played'] },
      { id: 'disabled', events: ['on_track_added'], enabled: false },
      { id: 'second', events: ['on_track_added'] },
    ]);
    await dispatcher.dispatch(added);
    expect(order).toEqual(['first', 'second']);
    expect(logged).toEqual(['first on_track_added success', 'second on_track_added success']);
  });

  it("one plugin's failure does not stop the others", async () => {
    const { dispatcher, order, logged } = setup([
      { id: 'crashes', events: ['on_track_added'], onEvent: () => 'error' },
      { id: 'times-out', events: ['on_track_added'], onEvent: () => 'timeout' },
      { id: 'healthy', events: ['on_track_added'] },
    ]);
    await dispatcher.dispatch(added);
    expect(order).toEqual(['crashes', 'times-out', 'healthy']);
    expect(logged).toEqual(['crashes on_track_added error', 'times-out on_track_added timeout', 'healthy on_track_added success']);
  });

  it('traces the event and its result for each plugin', async () => {
    const { dispatcher, trace } = setup([{ id: 'only', events: ['on_track_added'] }]);
    await dispatcher.dispatch(added);
    expect(trace.map((t) => `${t.kind} ${t.pluginId}`)).toEqual(['event only', 'event-result only']);
  });

  it('emit-event reaches other subscribers of on_plugin_event, never the sender', async () => {
    const { dispatcher, bridges } = setup([
      { id: 'sender', events: ['on_plugin_event'] },
      { id: 'listener', events: ['on_plugin_event'] },
      { id: 'deaf', events: ['on_track_added'] },
    ]);
    expect(dispatcher.emit('sender', 'hello', '{}')).toBeUndefined();
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(bridges.get('listener')!.received).toEqual([{ tag: 'plugin-event', depth: 1 }]);
    expect(bridges.get('sender')!.received).toEqual([]);
    expect(bridges.get('deaf')!.received).toEqual([]);
  });

  it(`stops two plugins ping-ponging at depth ${MAX_EMIT_DEPTH}`, async () => {
    const refusals: Array<string | undefined> = [];
    let dispatcher!: Dispatcher;
    const bounce = (id: string) => () => {
      refusals.push(dispatcher.emit(id, 'ball', '{}'));
      return 'success' as const;
    };
    const fakes: Fake[] = [
      { id: 'ping', events: ['on_plugin_event'], onEvent: bounce('ping') },
      { id: 'pong', events: ['on_plugin_event'], onEvent: bounce('pong') },
    ];
    const made = setup(fakes);
    dispatcher = made.dispatcher;
    dispatcher.emit('ping', 'ball', '{}');
    for (let i = 0; i < 20; i++) await new Promise((resolve) => setTimeout(resolve, 0));
    const depths = [...made.bridges.get('ping')!.received, ...made.bridges.get('pong')!.received].map((r) => r.depth).sort();
    expect(depths).toEqual([1, 2, 3, 4]);
    expect(refusals.filter(Boolean)).toHaveLength(1);
    expect(refusals.find(Boolean)).toMatch(`would be nested ${MAX_EMIT_DEPTH + 1} deep`);
    expect(made.trace.some((t) => t.kind === 'error')).toBe(true);
  });

  it(`refuses a call's emits past ${MAX_EMITS_PER_CALL}, saying so to the plugin`, async () => {
    const refusals: Array<string | undefined> = [];
    let dispatcher!: Dispatcher;
    const made = setup([
      {
        id: 'chatty',
        events: ['on_track_added'],
        onEvent: () => {
          for (let i = 0; i < MAX_EMITS_PER_CALL + 4; i++) refusals.push(dispatcher.emit('chatty', `e${i}`, '{}'));
          return 'success';
        },
      },
      { id: 'listener', events: ['on_plugin_event'] },
    ]);
    dispatcher = made.dispatcher;
    await dispatcher.dispatch(added);
    await settle();
    expect(refusals.filter((r) => r === undefined)).toHaveLength(MAX_EMITS_PER_CALL);
    expect(refusals.filter(Boolean)).toEqual(
      Array(4).fill(`emit-event refused: this call has emitted ${MAX_EMITS_PER_CALL} events, the most one call may emit`),
    );
    expect(made.bridges.get('listener')!.received).toHaveLength(MAX_EMITS_PER_CALL);
  });

  it(`bounds the fan-out of one event at ${MAX_EMIT_DELIVERIES} deliveries however the plugins re-emit`, async () => {
    let dispatcher!: Dispatcher;
    // Five plugins that each emit as much as one call may on every event they get: unbounded,
    // that is 4 × 16 deliveries at depth 1, then 16 times as many again at each depth.
    const storm = (id: string) => () => {
      for (let i = 0; i < MAX_EMITS_PER_CALL; i++) dispatcher.emit(id, 'storm', '{}');
      return 'success' as const;
    };
    const fakes: Fake[] = ['a', 'b', 'c', 'd', 'e'].map((id) => ({ id, events: ['on_track_added', 'on_plugin_event'], onEvent: storm(id) }));
    const made = setup(fakes);
    dispatcher = made.dispatcher;
    await dispatcher.dispatch(added);
    await settle();
    const delivered = [...made.bridges.values()].reduce((sum, bridge) => sum + bridge.received.length, 0);
    // The five deliveries of the event itself, and at most the cascade's bound of emitted ones.
    expect(delivered - 5).toBeLessThanOrEqual(MAX_EMIT_DELIVERIES);
    expect(delivered - 5).toBeGreaterThan(MAX_EMIT_DELIVERIES - 5);
    expect(
      made.trace.some((t) => t.kind === 'error' && t.message.includes(`past the ${MAX_EMIT_DELIVERIES} deliveries that emits may cause from one event`)),
    ).toBe(true);
  });
});
