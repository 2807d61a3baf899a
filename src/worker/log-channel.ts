// Log lines travel on their own port without answers. A call's reply says how many lines were
// sent so far, and the page waits until it has handled that many, so they count against the
// call. A call that traps ends with a flush instead, answered after every earlier line was
// handled: the page discards this worker as soon as the rejection arrives.
import type { HostFunctionName, LogMessage, LogReply } from '../shared/protocol.ts';

export class LogChannel {
  /** Lines sent since the worker started. */
  sent = 0;
  private waiting: Array<() => void> = [];

  constructor(private readonly port: MessagePort) {
    port.onmessage = (e: MessageEvent<LogReply>) => {
      if (e.data.kind === 'flushed') this.waiting.shift()?.();
    };
  }

  send(fn: HostFunctionName, args: unknown[]): void {
    this.sent++;
    this.port.postMessage({ kind: 'log', fn, args } satisfies LogMessage);
  }

  flush(): Promise<void> {
    return new Promise((resolve) => {
      this.waiting.push(resolve);
      this.port.postMessage({ kind: 'flush' } satisfies LogMessage);
    });
  }
}
