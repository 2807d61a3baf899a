import { MAX_EMIT_DELIVERIES, MAX_EMITS_PER_CALL, MAX_HOST_CALLS_PER_CALL } from '../../src/shared/limits.ts';
import { expect, fileAt, test, testPluginManifest, testPluginPath, textFile, type PlaygroundPage } from './fixtures.ts';

/** Installs a test plugin with its manifest and enables it; `wasm`: another test plugin's build under this one's name. */
async function installTestPlugin(playground: PlaygroundPage, name: string, wasm = name): Promise<void> {
  await playground.upload({ ...fileAt(testPluginPath(wasm)), name: `${name}.wasm` }, textFile('plugin.toml', testPluginManifest(name)));
  await expect(playground.status).toContainText(`Installed ${name}`, { timeout: 60_000 });
  await playground.enable(name);
}

/** How many times the trace holds `event` delivered, to any plugin. */
async function deliveries(playground: PlaygroundPage, event: string): Promise<number> {
  return (await playground.traceRecords()).filter((r) => r.kind === 'event' && r.event === event).length;
}

/** The results of a plugin's calls for `event`, in order. */
async function results(playground: PlaygroundPage, pluginId: string, event: string): Promise<string[]> {
  return (await playground.traceRecords()).flatMap((r) =>
    r.kind === 'event-result' && r.pluginId === pluginId && r.event === event ? [String(r.result)] : [],
  );
}

/** The messages of a plugin's log or error records. */
async function messages(playground: PlaygroundPage, pluginId: string, kind: 'log' | 'error'): Promise<string[]> {
  return (await playground.traceRecords()).flatMap((r) => (r.pluginId === pluginId && r.kind === kind ? [String(r.message)] : []));
}

test.describe('per-call quotas', () => {
  test('two plugins emitting to each other on every event are bounded, and the page keeps serving others', async ({ playground }) => {
    test.slow();
    await installTestPlugin(playground, 'emit-storm');
    await installTestPlugin(playground, 'emit-echo', 'emit-storm');
    await playground.installSample('hello-events');
    await playground.enable('hello-events');
    await playground.addTrack('Blue in Green', 'Miles Davis');

    // Each call emits 16 of its 20 and is told why not the rest.
    await expect
      .poll(() => messages(playground, 'emit-storm', 'log'), { timeout: 60_000 })
      .toContain(
        `track-added: ${MAX_EMITS_PER_CALL} emitted, 4 refused: emit-event refused: this call has emitted ${MAX_EMITS_PER_CALL} events, the most one call may emit`,
      );
    await expect
      .poll(async () => [...(await messages(playground, 'emit-storm', 'error')), ...(await messages(playground, 'emit-echo', 'error'))].join('\n'), {
        timeout: 60_000,
      })
      .toContain(`past the ${MAX_EMIT_DELIVERIES} deliveries that emits may cause from one event`);
    // Unbounded, 16 emits a call between two plugins would be 16 + 16² + 16³ + 16⁴ deliveries.
    await expect.poll(() => deliveries(playground, 'on_plugin_event'), { timeout: 60_000 }).toBeGreaterThan(MAX_EMIT_DELIVERIES - 16);
    await expect.poll(() => results(playground, 'hello-events', 'on_track_added'), { timeout: 60_000 }).toEqual(['success']);
    const settled = await deliveries(playground, 'on_plugin_event');
    expect(settled).toBeLessThanOrEqual(MAX_EMIT_DELIVERIES);
    // A new event is a new cascade: the plugins are not punished for the last one.
    await playground.addTrack('So What', 'Miles Davis');
    await expect.poll(() => results(playground, 'hello-events', 'on_track_added'), { timeout: 60_000 }).toEqual(['success', 'success']);
    await expect.poll(() => deliveries(playground, 'on_plugin_event'), { timeout: 60_000 }).toBeGreaterThan(settled + MAX_EMIT_DELIVERIES - 16);
  });

  test(`host calls past ${MAX_HOST_CALLS_PER_CALL.toLocaleString('en')} in one call are refused in the worker, saying so, and the next call has its own`, async ({
    playground,
  }) => {
    test.slow();
    await installTestPlugin(playground, 'host-call-storm');
    await playground.setConfig('host-call-storm', 'calls', String(MAX_HOST_CALLS_PER_CALL + 5));
    await expect(await playground.configValue('host-call-storm', 'calls')).toHaveText(String(MAX_HOST_CALLS_PER_CALL + 5));
    await playground.addTrack('Thunder Road', 'Bruce Springsteen');

    // The guest's next get-config fails with the quota's reason (the plugin stops its storm).
    const refusal = `host-call quota: this call has made ${MAX_HOST_CALLS_PER_CALL.toLocaleString('en')} host calls, the most one call may make; the rest are refused`;
    await expect
      .poll(() => messages(playground, 'host-call-storm', 'log'), { timeout: 90_000 })
      .toContain(`storm stopped at call ${MAX_HOST_CALLS_PER_CALL + 1} of ${MAX_HOST_CALLS_PER_CALL + 5}: ${refusal}`);
    expect(await messages(playground, 'host-call-storm', 'error')).toContain(refusal);
    const calls = (await playground.traceRecords()).filter((r) => r.kind === 'host-call' && r.pluginId === 'host-call-storm').length;
    expect(calls).toBe(MAX_HOST_CALLS_PER_CALL);

    await playground.setConfig('host-call-storm', 'calls', '10');
    await playground.addTrack('Born to Run', 'Bruce Springsteen');
    await expect(playground.trace('host-call-storm', 'log')).toContainText([
      /storm stopped at call 10001/,
      /storm of 10 get-config calls done \(0 found\) for Born to Run/,
    ]);
    await expect(playground.plugin('host-call-storm')).toHaveAttribute('data-state', 'running');
  });
});
