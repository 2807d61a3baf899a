// The per-call time budget. It runs only while the guest runs: time the guest spends waiting
// on a host call (HTTP, IndexedDB) is not charged, so it pauses while host calls are open.

export interface Timers {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const realTimers: Timers = {
  now: () => performance.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export type WatchdogState = 'idle' | 'running' | 'paused' | 'expired' | 'stopped';

export class Watchdog {
  state: WatchdogState = 'idle';
  /** Guest time charged so far, in ms. */
  charged = 0;
  private since = 0;
  private timer: unknown;
  private openHostCalls = 0;

  constructor(
    readonly budgetMs: number,
    private readonly onExpire: () => void,
    private readonly timers: Timers = realTimers,
  ) {}

  start(): void {
    if (this.state !== 'idle') return;
    this.run();
  }

  private run(): void {
    this.state = 'running';
    this.since = this.timers.now();
    this.timer = this.timers.setTimeout(() => this.expire(), Math.max(0, this.budgetMs - this.charged));
  }

  private expire(): void {
    if (this.state !== 'running') return;
    this.charged = this.budgetMs;
    this.state = 'expired';
    this.onExpire();
  }

  /** A host call began: stop charging until every open host call has returned. */
  hostCallStarted(): void {
    this.openHostCalls++;
    if (this.state !== 'running') return;
    this.timers.clearTimeout(this.timer);
    this.charged += this.timers.now() - this.since;
    this.state = 'paused';
  }

  hostCallEnded(): void {
    this.openHostCalls = Math.max(0, this.openHostCalls - 1);
    if (this.state === 'paused' && this.openHostCalls === 0) this.run();
  }

  /** The call finished; nothing will expire. */
  stop(): void {
    if (this.state === 'running') this.charged += this.timers.now() - this.since;
    this.timers.clearTimeout(this.timer);
    if (this.state !== 'expired') this.state = 'stopped';
  }
}
