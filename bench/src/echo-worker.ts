// A bare module worker: the platform's floor for talking to a worker, with no plugin, no
// Comlink proxy on the raw path and no policy.
import { expose, wrap } from 'comlink';
import type { Remote } from 'comlink';
import { DEFAULT_COMPONENT_FUEL } from '../../src/shared/limits.ts';
import type { HostPortApi } from '../../src/shared/protocol.ts';
import { ComponentRuntime, importBindings } from '../../src/worker/runtimes/component.ts';
import { witEvent } from './events.ts';
import { jspiPerCall, messageHop, perCall } from './jspi-floor.ts';
import { prepareFloor } from './wasm-floor.ts';

export type EchoRequest =
  | { kind: 'echo'; i: number; body?: unknown; workMs?: number }
  | { kind: 'comlink'; port: MessagePort }
  | { kind: 'ping'; n: number; workMs?: number }
  | { kind: 'pong'; i: number }
  | { kind: 'comlink-ask'; port: MessagePort; n: number }
  | { kind: 'floor'; files: Record<string, Uint8Array> }
  | { kind: 'jspi'; calls: number; rounds: number }
  | { kind: 'plugin-host-calls'; files: Record<string, Uint8Array>; entry: string; fn: string; calls: number; rounds: number; port?: MessagePort }
  | { kind: 'plugin-events'; files: Record<string, Uint8Array>; entry: string; count: number; jcoExport?: boolean };

export type EchoReply = { kind: 'echo'; i: number } | { kind: 'ping'; i: number } | { kind: 'pinged' } | { kind: 'per-call'; ms: number[] };

export interface EchoApi {
  echo<T>(value: T): T;
}

// Typed against the page's lib (this folder has one tsconfig): a dedicated worker's global
// scope has the same postMessage/message-event surface as the Worker object outside it.
const scope = globalThis as unknown as Pick<Worker, 'postMessage' | 'addEventListener'>;

/** Keeps this thread busy for `ms`, as a guest handling an event would. */
function busyFor(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until);
}

let pings = 0;
let workPerPing = 0;
const reply = (message: EchoReply) => scope.postMessage(message);

scope.addEventListener('message', (e: MessageEvent<EchoRequest>) => {
  const message = e.data;
  switch (message.kind) {
    case 'echo':
      // The body (an input, say) travels one way only, as a call's argument does.
      if (message.workMs) busyFor(message.workMs);
      reply({ kind: 'echo', i: message.i });
      break;
    case 'comlink':
      expose({ echo: <T>(value: T): T => value } satisfies EchoApi, message.port);
      break;
    case 'ping':
      // The worker asks and the page answers, as a plugin's host call does.
      pings = message.n;
      workPerPing = message.workMs ?? 0;
      reply({ kind: 'ping', i: 0 });
      break;
    case 'pong':
      // With `workMs`, busy that long before asking again, as a guest between its host calls.
      if (workPerPing) busyFor(workPerPing);
      reply(message.i + 1 < pings ? { kind: 'ping', i: message.i + 1 } : { kind: 'pinged' });
      break;
    case 'comlink-ask': {
      // The same, through Comlink on a port of its own, as a plugin's host calls travel.
      const remote = wrap<{ answer(i: number): number }>(message.port);
      void (async () => {
        for (let i = 0; i < message.n; i++) await remote.answer(i);
        reply({ kind: 'pinged' });
      })();
      break;
    }
    case 'jspi':
      void jspiPerCall(message.calls, message.rounds).then((ms) => reply({ kind: 'per-call', ms }));
      break;
    case 'plugin-host-calls':
      void pluginHostCalls(message).then((ms) => reply({ kind: 'per-call', ms }));
      break;
    case 'plugin-events':
      void pluginEvents(message).then((ms) => reply({ kind: 'per-call', ms }));
      break;
    case 'floor':
      // Compile and instantiate a component's core modules here, as a plugin worker must.
      void prepareFloor(message.files)().then(() => reply({ kind: 'echo', i: 0 }));
      break;
  }
});

/** Compiles the core modules here, as a worker without the page's help must, then starts it. */
async function startPlugin(files: Record<string, Uint8Array>, entry: string, host: Remote<HostPortApi>, jcoExport = false): Promise<ComponentRuntime> {
  const wasm = Object.entries(files).filter(([name]) => name.endsWith('.wasm'));
  const modules = Object.fromEntries(await Promise.all(wasm.map(async ([name, bytes]) => [name, await WebAssembly.compile(bytes as BufferSource)] as const)));
  const unused = new MessageChannel();
  const bindings = new Blob([files[entry]! as BlobPart], { type: 'text/javascript' });
  return ComponentRuntime.start('playground', { bindings: importBindings(bindings), modules: Promise.resolve(modules) }, host, {
    logPort: unused.port2,
    fuel: DEFAULT_COMPONENT_FUEL,
    jcoExport,
  });
}

const answerInWorker = {
  call: () => messageHop().then(() => ({ tag: 'ok', val: 'a config value' })),
  output: async () => {},
  publish: async () => {},
} as unknown as Remote<HostPortApi>;

/**
 * Runs a plugin here and times guest loops of `calls` host calls against loops of none. The
 * host is a trivial one on the page, through Comlink on `port`, or without a port a function
 * in this worker that answers after one message hop: then nothing crosses a thread, and what
 * is left is the guest and the generated bindings.
 */
async function pluginHostCalls(request: Extract<EchoRequest, { kind: 'plugin-host-calls' }>): Promise<number[]> {
  const runtime = await startPlugin(request.files, request.entry, request.port ? wrap<HostPortApi>(request.port) : answerInWorker);
  const loop = async (calls: number) => {
    const began = performance.now();
    await runtime.onEvent(witEvent(String(calls), request.fn), DEFAULT_COMPONENT_FUEL);
    return performance.now() - began;
  };
  return perCall(loop, request.calls, request.rounds);
}

/**
 * Delivers `count` events to a plugin in this worker, one at a time: no message, no page. With
 * `jcoExport`, through jco's generated export instead of the core function (guest-abi.ts).
 */
async function pluginEvents(request: Extract<EchoRequest, { kind: 'plugin-events' }>): Promise<number[]> {
  const runtime = await startPlugin(request.files, request.entry, answerInWorker, request.jcoExport);
  const event = witEvent('{}');
  const samples: number[] = [];
  for (let i = 0; i < request.count + 20; i++) {
    const began = performance.now();
    await runtime.onEvent(event, DEFAULT_COMPONENT_FUEL);
    if (i >= 20) samples.push(performance.now() - began);
  }
  return samples;
}
