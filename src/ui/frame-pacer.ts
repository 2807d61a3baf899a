// When a live view (the trace, an events log) may draw. The main thread that draws also answers
// every plugin's host calls, so a view that redrew on every frame during a flood of records
// would slow the very plugin it shows, until its budget killed it.
import { LIVE_VIEW_BURST_WAIT_MS, LIVE_VIEW_DRAW_SHARE, LIVE_VIEW_MAX_WAIT_MS, LIVE_VIEW_PAUSE_MS } from '../shared/limits.ts';

/** What a pacer waits on: the page's clock, frames and timers (a test gives its own). */
export interface PacerClock {
  now(): number;
  /** Calls `then` with the frame's start time, as requestAnimationFrame does. */
  frame(then: (frameStart: number) => void): void;
  /** Calls `then` once the frame being made is painted. */
  painted(then: () => void): void;
  after(ms: number, then: () => void): void;
}

// A message posted while a frame is being made is read once that frame is painted; one channel
// serves every pacer, its messages read in the order they were posted.
const paintedChannel = typeof MessageChannel === 'function' ? new MessageChannel() : undefined;
const afterPaint: Array<() => void> = [];
if (paintedChannel) paintedChannel.port1.onmessage = () => afterPaint.shift()?.();

export const pageClock: PacerClock = {
  now: () => performance.now(),
  frame: (then) => requestAnimationFrame(then),
  painted(then) {
    afterPaint.push(then);
    paintedChannel!.port2.postMessage(null);
  },
  after: (ms, then) => setTimeout(then, ms),
};

/**
 * Calls `draw` at most once a frame. While requests keep coming it waits for them to pause
 * (LIVE_VIEW_PAUSE_MS), or LIVE_VIEW_BURST_WAIT_MS after the first at the latest, so a burst of
 * calls is drawn once it is over instead of in its middle. After a costly draw it waits long
 * enough that drawing takes at most LIVE_VIEW_DRAW_SHARE of the main thread. A draw's cost is
 * what the main thread spent in its frame and the next one (Monaco paints a frame after its
 * model changes).
 */
export class FramePacer {
  /** A draw is wanted. */
  private asked = false;
  /** A draw is on its way (waiting, a frame away), or its cost is being measured. */
  private busy = false;
  /** No draw before this time. */
  private notBefore = 0;
  /** When the requests the next draw answers began, and the latest of them. */
  private firstAsk = 0;
  private lastAsk = 0;

  constructor(
    private readonly draw: () => void,
    private readonly clock: PacerClock = pageClock,
  ) {}

  /** Something changed: draw it soon. */
  request(): void {
    const now = this.clock.now();
    if (!this.asked) this.firstAsk = now;
    this.asked = true;
    this.lastAsk = now;
    if (this.busy) return;
    this.busy = true;
    this.wait();
  }

  /** Drops a draw asked for (the view is gone). */
  cancel(): void {
    this.asked = false;
  }

  /** Until the requests pause (or have waited long enough) and the draw share allows one. */
  private readonly wait = (): void => {
    if (!this.asked) {
      this.busy = false;
      return;
    }
    const due = Math.max(this.notBefore, Math.min(this.lastAsk + LIVE_VIEW_PAUSE_MS, this.firstAsk + LIVE_VIEW_BURST_WAIT_MS));
    const left = due - this.clock.now();
    if (left > 0) this.clock.after(left, this.wait);
    else this.clock.frame(this.frame);
  };

  private readonly frame = (frameStart: number): void => {
    if (!this.asked) {
      this.busy = false;
      return;
    }
    this.asked = false;
    this.draw();
    this.clock.painted(() => {
      const first = this.clock.now() - frameStart;
      this.clock.frame((nextStart) =>
        this.clock.painted(() => {
          const cost = first + this.clock.now() - nextStart;
          const rest = Math.min(LIVE_VIEW_MAX_WAIT_MS, (cost * (1 - LIVE_VIEW_DRAW_SHARE)) / LIVE_VIEW_DRAW_SHARE);
          this.notBefore = this.clock.now() + rest;
          this.wait();
        }),
      );
    });
  };
}
