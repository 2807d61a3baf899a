// The worker's end of a plugin's channel shares it with Comlink: what it takes and what it leaves.
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { PageToWorker, WorkerToPage } from '../../src/shared/protocol.ts';
import { PagePort } from '../../src/worker/page-port.ts';

/**
 * A worker's port on one end of a channel and the page on the other: `posted` holds what the
 * worker sent, `answer` is the page's reply to each message, and `done` settles at `event-done`.
 */
function channelPair(answer: (message: WorkerToPage, page: MessagePort) => void = () => {}) {
  const channel = new MessageChannel();
  const page = channel.port2;
  const posted: WorkerToPage[] = [];
  const done = new Promise<void>((resolve) => {
    page.onmessage = (e: MessageEvent<WorkerToPage>) => {
      posted.push(e.data);
      answer(e.data, page);
      if (e.data.kind === 'event-done') resolve();
    };
  });
  const port = new PagePort(channel.port1);
  channel.port1.start();
  return { page, port, posted, done, close: () => channel.port1.close() };
}

describe("the worker's end of the plugin's channel", () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it("takes only its own kinds: Comlink's calls on the same channel are not events", async () => {
    const { page, port, posted, done, close } = channelPair();
    const events: unknown[] = [];
    port.serve(async (event) => {
      events.push(event);
      return { result: { tag: 'ok', val: null }, logLines: 0, fuel: 3 };
    });
    // What Comlink posts for `api.metadata()`, then its answer to something, then an event.
    page.postMessage({ id: 'a1b2-c3d4', type: 'APPLY', path: ['metadata'], argumentList: [] });
    page.postMessage({ id: 'e5f6-a7b8', type: 'RAW', value: 1 });
    page.postMessage(null);
    page.postMessage({ kind: 'event', id: 7, event: { kind: 'component', value: { tag: 'x', val: {} } }, fuel: 10 } satisfies PageToWorker);
    await done;
    close();
    expect(events).toEqual([{ kind: 'component', value: { tag: 'x', val: {} } }]);
    expect(posted).toEqual([{ kind: 'event-done', id: 7, reply: { result: { tag: 'ok', val: null }, logLines: 0, fuel: 3, guestMs: expect.any(Number) } }]);
  });

  it("says how much of a call was the guest's own time: its waits on the page are left out", async () => {
    // The clock moves only where the test says: 2 ms before the host call, 100 ms on the page, 3 ms after.
    let now = 1000;
    vi.spyOn(performance, 'now').mockImplementation(() => now);
    const { page, port, posted, done, close } = channelPair((message, page) => {
      if (message.kind !== 'host-call') return;
      now += 100;
      page.postMessage({ kind: 'host-result', id: message.id, result: { tag: 'ok', val: 'v' } } satisfies PageToWorker);
    });
    port.serve(async () => {
      now += 2;
      await port.call('get-config', ['k']);
      now += 3;
      return { result: { tag: 'ok', val: null }, logLines: 0, fuel: 0 };
    });
    page.postMessage({ kind: 'event', id: 1, event: { kind: 'component', value: {} }, fuel: 10 } satisfies PageToWorker);
    await done;
    close();
    expect(posted.map((m) => (m.kind === 'host-call' ? m.guestMs : m.kind === 'event-done' ? m.reply.guestMs : m.kind))).toEqual([2, 5]);
  });

  it('says the guest time of a call that trapped, too', async () => {
    let now = 1000;
    vi.spyOn(performance, 'now').mockImplementation(() => now);
    const { page, port, posted, close } = channelPair();
    port.serve(async () => {
      now += 7;
      throw new Error('unreachable executed');
    });
    page.postMessage({ kind: 'event', id: 1, event: { kind: 'component', value: {} }, fuel: 10 } satisfies PageToWorker);
    await vi.waitFor(() => expect(posted).toHaveLength(1));
    close();
    expect(posted[0]).toMatchObject({ kind: 'event-failed', id: 1, error: { message: 'unreachable executed' }, guestMs: 7 });
  });
});
