// When a live view (the trace, an events log) may draw. The main thread that draws also answers
// every plugin's host calls, so a view that redrew on every frame during a flood of records
// would slow the very plugin it shows, until its budget killed it.
import { LIVE_VIEW_DRAW_SHARE, LIVE_VIEW_MAX_WAIT_MS } from '../shared/limits.ts';

// A message posted while a frame is being made is read once that frame is painted; one channel
// serves every pacer, its messages read in the order they were posted.
const painted = new MessageChannel();
const afterPaint: Array<() => void> = [];
painted.port1.onmessage = () => afterPaint.shift()?.();

function whenPainted(then: () => void): void {
  afterPaint.push(then);
  painted.port2.postMessage(null);
}

/**
 * Calls `draw` at most once a frame, and after a costly draw waits long enough that drawing
 * takes at most `LIVE_VIEW_DRAW_SHARE` of the main thread. A draw's cost is what the main
 * thread spent in its frame and the next one (Monaco paints a frame after its model changes).
 */
export class FramePacer {
  /** A draw is wanted. */
  private asked = false;
  /** A draw is on its way (a frame or a wait away), or its cost is being measured. */
  private busy = false;
  /** No draw before this time (performance.now()). */
  private notBefore = 0;

  constructor(private readonly draw: () => void) {}

  /** Something changed: draw it soon. */
  request(): void {
    this.asked = true;
    if (this.busy) return;
    this.busy = true;
    const wait = this.notBefore - performance.now();
    if (wait > 0) setTimeout(() => requestAnimationFrame(this.frame), wait);
    else requestAnimationFrame(this.frame);
  }

  /** Drops a draw asked for (the view is gone). */
  cancel(): void {
    this.asked = false;
  }

  private readonly frame = (frameStart: number): void => {
    if (!this.asked) {
      this.busy = false;
      return;
    }
    this.asked = false;
    this.draw();
    whenPainted(() => {
      const first = performance.now() - frameStart;
      requestAnimationFrame((nextStart) =>
        whenPainted(() => {
          const cost = first + performance.now() - nextStart;
          const rest = Math.min(LIVE_VIEW_MAX_WAIT_MS, (cost * (1 - LIVE_VIEW_DRAW_SHARE)) / LIVE_VIEW_DRAW_SHARE);
          this.notBefore = performance.now() + rest;
          this.busy = false;
          if (this.asked) this.request();
        }),
      );
    });
  };
}
