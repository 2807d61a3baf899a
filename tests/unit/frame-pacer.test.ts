// When a live view draws: once a burst of changes is over (or at the latest a while after it
// began), and no more of the main thread than its share, on a clock the test drives.
import { describe, expect, it } from 'vitest';
import { LIVE_VIEW_BURST_WAIT_MS, LIVE_VIEW_DRAW_SHARE, LIVE_VIEW_PAUSE_MS } from '../../src/shared/limits.ts';
import { FramePacer, type PacerClock } from '../../src/ui/frame-pacer.ts';

const FRAME_MS = 16;

/** Frames every 16 ms, each followed by its paint; timers at their time. */
class FakeClock implements PacerClock {
  t = 0;
  private timers: Array<{ at: number; then: () => void }> = [];
  private frames: Array<(start: number) => void> = [];
  private paints: Array<() => void> = [];

  now = () => this.t;
  frame(then: (start: number) => void): void {
    this.frames.push(then);
  }
  painted(then: () => void): void {
    this.paints.push(then);
  }
  after(ms: number, then: () => void): void {
    this.timers.push({ at: this.t + ms, then });
  }

  /** Runs what falls due until `until`. */
  run(until: number): void {
    for (;;) {
      const timer = this.timers.reduce<{ at: number; then: () => void } | undefined>((a, b) => (!a || b.at < a.at ? b : a), undefined);
      const frameAt = this.frames.length || this.paints.length ? (Math.floor(this.t / FRAME_MS) + 1) * FRAME_MS : Infinity;
      const next = Math.min(timer?.at ?? Infinity, frameAt);
      if (next > until) break;
      this.t = Math.max(this.t, next);
      if (timer && timer.at === next) {
        this.timers.splice(this.timers.indexOf(timer), 1);
        timer.then();
        continue;
      }
      const [frames, paints] = [this.frames, this.paints];
      this.frames = [];
      this.paints = [];
      for (const then of frames) then(next);
      // What is painted after this frame: the paints asked before it and during it.
      for (const then of [...paints, ...this.paints.splice(0)]) then();
    }
    this.t = Math.max(this.t, until);
  }
}

function pacerWith(drawCostMs = 0) {
  const clock = new FakeClock();
  const draws: number[] = [];
  const pacer = new FramePacer(() => {
    draws.push(clock.t);
    clock.t += drawCostMs;
  }, clock);
  /** Requests a draw every frame from `from` to `to`, running the clock between. */
  const flood = (from: number, to: number) => {
    clock.run(from);
    for (let at = from; at <= to; at += FRAME_MS) {
      clock.run(at);
      pacer.request();
    }
  };
  return { clock, draws, pacer, flood };
}

describe('FramePacer', () => {
  it('draws a single change once it has paused, a frame after', () => {
    const { clock, draws, pacer } = pacerWith();
    pacer.request();
    clock.run(1000);
    expect(draws).toHaveLength(1);
    expect(draws[0]).toBeGreaterThanOrEqual(LIVE_VIEW_PAUSE_MS);
    expect(draws[0]).toBeLessThanOrEqual(LIVE_VIEW_PAUSE_MS + FRAME_MS);
  });

  it('draws a burst once, after it is over, not in its middle', () => {
    const { clock, draws, flood } = pacerWith(20);
    flood(0, 160);
    clock.run(1000);
    expect(draws).toHaveLength(1);
    expect(draws[0]).toBeGreaterThanOrEqual(160 + LIVE_VIEW_PAUSE_MS);
  });

  it('draws a long flood a while after it began, then spends at most its share of the time drawing', () => {
    const cost = 20;
    const { clock, draws, flood } = pacerWith(cost);
    flood(0, 10_000);
    clock.run(10_000);
    expect(draws[0]).toBeGreaterThanOrEqual(LIVE_VIEW_BURST_WAIT_MS);
    expect(draws[0]).toBeLessThanOrEqual(LIVE_VIEW_BURST_WAIT_MS + FRAME_MS);
    // It keeps drawing while the flood lasts, never more than its share.
    expect(draws.length).toBeGreaterThan(10);
    expect((draws.length * cost) / 10_000).toBeLessThanOrEqual(LIVE_VIEW_DRAW_SHARE);
  });

  it('draws cheap changes during a flood as often as the pause allows', () => {
    const { clock, draws, flood } = pacerWith(0);
    flood(0, 2_000);
    clock.run(2_000);
    // At the latest every LIVE_VIEW_BURST_WAIT_MS (and a frame or two to measure each draw).
    expect(draws.length).toBeGreaterThanOrEqual(Math.floor(2_000 / (LIVE_VIEW_BURST_WAIT_MS + 3 * FRAME_MS)));
    for (let i = 1; i < draws.length; i++) expect(draws[i]! - draws[i - 1]!).toBeLessThanOrEqual(LIVE_VIEW_BURST_WAIT_MS + 3 * FRAME_MS);
  });

  it('draws nothing once cancelled, and draws again when asked later', () => {
    const { clock, draws, pacer } = pacerWith();
    pacer.request();
    pacer.cancel();
    clock.run(1000);
    expect(draws).toHaveLength(0);
    pacer.request();
    clock.run(2000);
    expect(draws).toHaveLength(1);
  });
});
