// The per-call time budget. It runs only while the guest runs: time the guest spends waiting
// on a host call (HTTP, IndexedDB) is not charged, so it pauses while host calls are open.
// The page's own timer can be late or early by what the page was busy with (rendering, other
// plugins), so the guest's time is the worker's to say: host calls carry it, and before the
// watchdog kills it asks the worker, which answers at once unless its guest is running. Only
// a guest that stays silent past a short grace is killed.
import { Deadlines, type Timers } from './deadlines.ts';

/** Shared by every watchdog of the page: see deadlines.ts. */
const pageDeadlines = new Deadlines();

export type WatchdogState = 'idle' | 'running' | 'paused' | 'checking' | 'expired' | 'stopped';

/** How the watchdog asks the worker for the guest time it measured (answered with `report`). */
export interface GuestClock {
  ask(): void;
  /** How long a worker may take to answer before its silence means a running guest. */
  graceMs: number;
}

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
    private readonly timers: Timers = pageDeadlines,
    private readonly clock?: GuestClock,
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
    if (this.state === 'running' && this.clock) {
      this.state = 'checking';
      this.clock.ask();
      this.timer = this.timers.setTimeout(() => this.kill(), this.clock.graceMs);
      return;
    }
    if (this.state === 'running' || this.state === 'checking') this.kill();
  }

  private kill(): void {
    if (this.state !== 'running' && this.state !== 'checking') return;
    // At least the budget: more if the worker said so.
    this.charged = Math.max(this.charged, this.budgetMs);
    this.state = 'expired';
    this.onExpire();
  }

  /** The worker's own measure of the guest time this call has used so far. */
  report(guestMs: number): void {
    if (this.state !== 'running' && this.state !== 'checking') return;
    this.timers.clearTimeout(this.timer);
    this.charged = guestMs;
    if (guestMs >= this.budgetMs) this.kill();
    else this.run();
  }

  /** A host call began: stop charging until every open host call has returned. */
  hostCallStarted(guestMs?: number): void {
    this.openHostCalls++;
    if (this.state !== 'running' && this.state !== 'checking') return;
    this.timers.clearTimeout(this.timer);
    this.charged = guestMs ?? this.charged + (this.timers.now() - this.since);
    if (this.charged >= this.budgetMs) this.kill();
    else this.state = 'paused';
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
