// The page's end of a plugin's channel answers a host call as soon as the host has the result:
// the guest goes on while the page writes the trace, and every call gets exactly one answer.
import { describe, expect, it } from 'vitest';
import type { HostAsk } from '../../src/host/bridge-types.ts';
import type { ConfigStore } from '../../src/host/config-store.ts';
import { HostFunctions, type HostContext } from '../../src/host/host-functions.ts';
import type { PermissionGrant } from '../../src/host/permissions.ts';
import type { Trace } from '../../src/host/trace.ts';
import { WorkerPort, type WorkerEndpoint, type WorkerPortHandlers } from '../../src/host/worker-port.ts';
import type { PageToWorker, WitResult, WorkerToPage } from '../../src/shared/protocol.ts';

/** A worker that asks one host call; `posted` is what the page sent back to it. */
function askingWorker(hostCall: WorkerPortHandlers['hostCall']) {
  const posted: PageToWorker[] = [];
  let listener: ((e: MessageEvent) => void) | undefined;
  const worker = {
    // As a real port does, the message is cloned: what does not clone throws.
    postMessage: (message: PageToWorker) => posted.push(structuredClone(message)),
    addEventListener: (_: string, l: (e: MessageEvent) => void) => (listener = l),
    removeEventListener: () => (listener = undefined),
  } as unknown as WorkerEndpoint;
  const port = new WorkerPort({ hostCall, guestTime: () => {}, log: () => {}, output: () => {}, publish: () => {} }, worker);
  const ask = (message: WorkerToPage) => listener!({ data: message } as MessageEvent);
  return { port, posted, ask };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));
const hostCall = (id: number): WorkerToPage => ({ kind: 'host-call', id, fn: 'get-config', args: ['k'], guestMs: 1.5, fuel: 40 });

describe("the page's end of a plugin's channel", () => {
  it('sends the answer when the host has it, before the host has finished its bookkeeping', async () => {
    let finish!: () => void;
    let heard: HostAsk | undefined;
    const { port, posted, ask } = askingWorker(async (_fn, _args, at) => {
      heard = at;
      at.answer?.({ tag: 'ok', val: 'v' });
      await new Promise<void>((resolve) => (finish = resolve));
      return { tag: 'ok', val: 'v' };
    });
    ask(hostCall(3));
    expect(heard).toMatchObject({ guestMs: 1.5, fuel: 40 });
    expect(posted).toEqual([{ kind: 'host-result', id: 3, result: { tag: 'ok', val: 'v' } }]);
    finish();
    await settle();
    expect(posted).toHaveLength(1);
    port.kill('stopped', 'done');
  });

  it('answers a host that failed before answering with what went wrong, once', async () => {
    const { port, posted, ask } = askingWorker(() => Promise.reject(new Error('the store is closed')));
    ask(hostCall(4));
    await settle();
    expect(posted).toEqual([{ kind: 'host-result', id: 4, result: { tag: 'err', val: 'the host could not answer: the store is closed' } }]);
    port.kill('stopped', 'done');
  });

  it('keeps the first answer when the host fails after giving it', async () => {
    const { port, posted, ask } = askingWorker(async (_fn, _args, at) => {
      at.answer?.({ tag: 'ok', val: 'v' });
      throw new Error('the trace could not be written');
    });
    ask(hostCall(5));
    await settle();
    expect(posted).toEqual([{ kind: 'host-result', id: 5, result: { tag: 'ok', val: 'v' } }]);
    port.kill('stopped', 'done');
  });

  it('answers with what went wrong when the answer itself cannot be sent', async () => {
    const { port, posted, ask } = askingWorker(async (_fn, _args, at) => {
      const result: WitResult<unknown> = { tag: 'ok', val: { track: () => 'not data' } };
      at.answer?.(result);
      return result;
    });
    ask(hostCall(7));
    await settle();
    expect(posted).toHaveLength(1);
    expect(posted[0]).toMatchObject({
      kind: 'host-result',
      id: 7,
      result: { tag: 'err', val: expect.stringMatching(/^the host could not answer: .*could not be cloned/) },
    });
    port.kill('stopped', 'done');
  });

  it('answers an unknown host function with an error, without asking the host', async () => {
    let asked = false;
    const { port, posted, ask } = askingWorker(async () => {
      asked = true;
      return { tag: 'ok', val: undefined };
    });
    ask({ kind: 'host-call', id: 6, fn: 'format-disk', args: [], guestMs: 0 } as unknown as WorkerToPage);
    await settle();
    expect(asked).toBe(false);
    expect(posted).toEqual([{ kind: 'host-result', id: 6, result: { tag: 'err', val: 'unknown host function format-disk' } }]);
    port.kill('stopped', 'done');
  });
});

describe('a host call answered from a worker', () => {
  it('is answered before its host-call record is written, and the record still says what it answered', async () => {
    const order: string[] = [];
    const records: Array<{ kind: string }> = [];
    const add = (input: { kind: string }) => {
      order.push(`trace ${input.kind}`);
      records.push(input);
    };
    const host = new HostFunctions({
      trace: { add } as unknown as Trace,
      config: { get: async () => 'a value' } as unknown as ConfigStore,
      grantFor: () => ({ configAccess: true }) as PermissionGrant,
    } as unknown as HostContext);
    let answered: WitResult<unknown> | undefined;
    const result = await host.call('p', 'get-config', ['key'], {
      guestMs: 2,
      fuel: 9,
      answer: (r) => {
        order.push('answer');
        answered = r;
      },
    });
    // The permission decision is written before the call runs, its record after the answer.
    expect(order).toEqual(['trace permission', 'answer', 'trace host-call']);
    expect(answered).toEqual({ tag: 'ok', val: 'a value' });
    expect(answered).toBe(result);
    expect(records[1]).toMatchObject({ kind: 'host-call', pluginId: 'p', fn: 'get-config', args: ['key'], result, guestMs: 2, fuel: 9 });
  });
});
