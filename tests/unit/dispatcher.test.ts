import { describe, expect, it } from 'vitest';
import type { PluginRecord } from '../../src/host/db.ts';
import { Dispatcher, type DeliveryTarget } from '../../src/host/dispatcher.ts';
import { NO_GRANT, type PermissionGrant } from '../../src/host/permissions.ts';
import type { Delivery } from '../../src/host/plugin-bridge.ts';
import { ComponentHostRuntime } from '../../src/host/runtimes/component.ts';
import type { Compiler } from '../../src/host/compiler.ts';
import type { EventName } from '../../src/shared/events.ts';
import { MAX_EMIT_DEPTH } from '../../src/shared/limits.ts';
import type { TraceInput, WorkerEvent } from '../../src/shared/protocol.ts';

interface Fake {
  id: string;
  events: EventName[];
  enabled?: boolean;
  /** What its handler does with each delivery. */
  onEvent?: (event: WorkerEvent, bridge: FakeBridge) => Promise<Delivery['result']> | Delivery['result'];
}

class FakeBridge implements DeliveryTarget {
  currentDepth = 0;
  readonly received: Array<{ tag: string; depth: number }> = [];
  constructor(
    readonly fake: Fake,
    private readonly log: string[],
  ) {}
  async deliver(event: WorkerEvent | (() => Promise<WorkerEvent>), depth: number): Promise<Delivery> {
    const message = typeof event === 'function' ? await event() : event;
    const value = message.kind === 'component' ? (message.value as { tag: string }) : { tag: message.handler };
    this.received.push({ tag: value.tag, depth });
    this.log.push(this.fake.id);
    this.currentDepth = depth;
    try {
      const result = (await this.fake.onEvent?.(message, this)) ?? 'success';
      return { result, durationMs: 1, error: result === 'success' ? undefined : 'it failed' };
    } finally {
      this.currentDepth = 0;
    }
  }
}

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
});
