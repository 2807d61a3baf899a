// Timers for deadlines that are almost always cancelled: every call into a plugin, and every host
// call it makes, sets the watchdog's deadline and clears it microseconds later. One platform timer
// stands for all of them, armed for the earliest; setting a later deadline or clearing one is a
// map operation. On a 2-core machine the platform's setTimeout/clearTimeout pair cost 10-20 µs a
// call on the page, a tenth of a host call's round trip.

export interface Timers {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const platformTimers: Timers = {
  now: () => performance.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export class Deadlines implements Timers {
  private readonly due = new Map<number, { at: number; fn: () => void }>();
  private nextId = 1;
  /** The platform timer, and when it fires. */
  private armed?: { handle: unknown; at: number };

  constructor(private readonly platform: Timers = platformTimers) {}

  now(): number {
    return this.platform.now();
  }

  setTimeout(fn: () => void, ms: number): number {
    const id = this.nextId++;
    const at = this.platform.now() + Math.max(0, ms);
    this.due.set(id, { at, fn });
    this.armFor(at);
    return id;
  }

  clearTimeout(handle: unknown): void {
    // The platform timer stays: when it fires it finds nothing due and re-arms for what is left.
    this.due.delete(handle as number);
  }

  /** An armed timer that fires no later than `at` will look at that deadline then. */
  private armFor(at: number): void {
    if (this.armed && this.armed.at <= at) return;
    if (this.armed) this.platform.clearTimeout(this.armed.handle);
    const handle = this.platform.setTimeout(() => this.fire(), Math.max(0, at - this.platform.now()));
    this.armed = { handle, at };
  }

  private fire(): void {
    this.armed = undefined;
    const now = this.platform.now();
    const ready = [...this.due].filter(([, entry]) => entry.at <= now);
    for (const [id] of ready) this.due.delete(id);
    // Oldest deadline first; a callback may set or clear others.
    for (const [, entry] of ready.sort((a, b) => a[1].at - b[1].at)) entry.fn();
    let earliest = Infinity;
    for (const entry of this.due.values()) earliest = Math.min(earliest, entry.at);
    if (earliest !== Infinity) this.armFor(earliest);
  }
}
