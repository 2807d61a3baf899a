// The platform's floors, measured on bare workers in the same run as the figures they anchor.
import { expose, wrap, type Remote } from 'comlink';
import type { EchoApi, EchoReply, EchoRequest } from './echo-worker.ts';

export class BareWorker {
  private readonly waiting: Array<(reply: EchoReply) => void> = [];
  private onReply?: (reply: EchoReply) => void;
  private comlink?: Remote<EchoApi>;

  private constructor(readonly worker: Worker) {
    worker.addEventListener('message', (e: MessageEvent<EchoReply>) => {
      if (e.data.kind === 'echo') this.waiting.shift()?.(e.data);
      else this.onReply?.(e.data);
    });
  }

  /** A new module worker, and the time from `new Worker` to its first answer. */
  static async spawn(): Promise<{ bare: BareWorker; readyMs: number }> {
    const began = performance.now();
    const bare = new BareWorker(new Worker(new URL('./echo-worker.ts', import.meta.url), { type: 'module', name: 'bare' }));
    await bare.roundTrip();
    return { bare, readyMs: performance.now() - began };
  }

  private post(message: EchoRequest, transfer: Transferable[] = []): void {
    this.worker.postMessage(message, transfer);
  }

  /** One raw postMessage there and back; with `workMs`, the worker is busy that long before it answers. */
  roundTrip(body?: unknown, workMs?: number): Promise<EchoReply> {
    return new Promise((resolve) => {
      this.waiting.push(resolve);
      this.post({ kind: 'echo', i: 0, body, workMs });
    });
  }

  /** Compiles and instantiates `files`' core modules in the worker (see wasm-floor.ts). */
  floor(files: Record<string, Uint8Array>): Promise<EchoReply> {
    return new Promise((resolve) => {
      this.waiting.push(resolve);
      this.post({ kind: 'floor', files });
    });
  }

  private perCall(message: EchoRequest, transfer: Transferable[] = []): Promise<number[]> {
    return new Promise((resolve) => {
      this.onReply = (reply) => {
        if (reply.kind !== 'per-call') return;
        this.onReply = undefined;
        resolve(reply.ms);
      };
      this.post(message, transfer);
    });
  }

  /**
   * Runs the plugin in `files` in this worker and times its host calls of `fn` (see
   * echo-worker.ts): answered by a trivial host on the page through Comlink, or in the worker.
   */
  pluginHostCalls(files: Record<string, Uint8Array>, fn: string, calls: number, rounds: number, host: 'page' | 'worker'): Promise<number[]> {
    const entry = Object.keys(files).find((name) => name.endsWith('.js'))!;
    if (host === 'worker') return this.perCall({ kind: 'plugin-host-calls', files, entry, fn, calls, rounds });
    const channel = new MessageChannel();
    expose({ call: async () => ({ tag: 'ok', val: 'a config value' }), output: () => {}, publish: () => {} }, channel.port1);
    return this.perCall({ kind: 'plugin-host-calls', files, entry, fn, calls, rounds, port: channel.port2 }, [channel.port2]);
  }

  /** Events delivered to the plugin in `files` inside this worker, with no message (see echo-worker.ts). */
  pluginEvents(files: Record<string, Uint8Array>, count: number, jcoExport = false): Promise<number[]> {
    const entry = Object.keys(files).find((name) => name.endsWith('.js'))!;
    return this.perCall({ kind: 'plugin-events', files, entry, count, jcoExport });
  }

  /** A bare JSPI import answered after one message hop, per call (see jspi-floor.ts). */
  jspiHostCalls(calls: number, rounds: number): Promise<number[]> {
    return this.perCall({ kind: 'jspi', calls, rounds });
  }

  /** `count` round trips one after another, as calls into one plugin are (they never overlap). */
  async oneAtATime(count: number): Promise<void> {
    for (let i = 0; i < count; i++) await this.roundTrip();
  }

  /** The same worker, called through Comlink on its own port. */
  viaComlink(): Remote<EchoApi> {
    if (!this.comlink) {
      const channel = new MessageChannel();
      this.post({ kind: 'comlink', port: channel.port2 }, [channel.port2]);
      this.comlink = wrap<EchoApi>(channel.port1);
    }
    return this.comlink;
  }

  /**
   * The worker asks `n` times in a row and the page answers each, like a guest's host calls;
   * returns the time between consecutive questions as the page sees them (one round trip each).
   * `posting` collects how long each of the page's postMessage calls took (the sender's share).
   */
  workerAsks(n: number, workMs?: number, posting?: number[]): Promise<number[]> {
    const arrivals: number[] = [];
    return new Promise((resolve) => {
      this.onReply = (reply) => {
        if (reply.kind === 'ping') {
          const now = performance.now();
          arrivals.push(now);
          this.post({ kind: 'pong', i: reply.i });
          posting?.push(performance.now() - now);
        } else if (reply.kind === 'pinged') {
          this.onReply = undefined;
          resolve(arrivals.slice(1).map((t, i) => t - arrivals[i]!));
        }
      };
      this.post({ kind: 'ping', n, workMs });
    });
  }

  /** As workerAsks, through Comlink on a MessagePort: the way a plugin's host calls travel. */
  workerAsksViaComlink(n: number): Promise<number[]> {
    const arrivals: number[] = [];
    const channel = new MessageChannel();
    expose({ answer: (i: number) => (arrivals.push(performance.now()), i) }, channel.port1);
    return new Promise((resolve) => {
      this.onReply = (reply) => {
        if (reply.kind !== 'pinged') return;
        this.onReply = undefined;
        channel.port1.close();
        resolve(arrivals.slice(1).map((t, i) => t - arrivals[i]!));
      };
      this.post({ kind: 'comlink-ask', port: channel.port2, n }, [channel.port2]);
    });
  }

  terminate(): void {
    this.worker.terminate();
  }
}

/** How late a bare timer of `ms` fires, in ms: the platform's own slack for the watchdog. */
export async function timerElapsed(ms: number): Promise<number> {
  const began = performance.now();
  await new Promise((resolve) => setTimeout(resolve, ms));
  return performance.now() - began;
}

/**
 * A worker that spins until stopped, so no core of the machine goes idle. On some machines
 * (virtual ones above all) waking a thread from idle costs more than a round trip itself, and
 * by a different amount in every run; with the cores kept busy, what is left is the work.
 */
export async function keptAwake<T>(measure: () => Promise<T>): Promise<T> {
  const url = URL.createObjectURL(new Blob(['postMessage(0); for (;;) {}'], { type: 'text/javascript' }));
  const spinner = new Worker(url, { name: 'spinner' });
  try {
    await new Promise((resolve) => spinner.addEventListener('message', resolve, { once: true }));
    return await measure();
  } finally {
    spinner.terminate();
    URL.revokeObjectURL(url);
  }
}
