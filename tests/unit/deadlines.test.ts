import { describe, expect, it } from 'vitest';
import { Deadlines, type Timers } from '../../src/host/deadlines.ts';

/** A manual platform clock that counts the timers it is asked to arm. */
function platform() {
  let now = 0;
  let pending: Array<{ at: number; fn: () => void; id: number }> = [];
  let ids = 0;
  let armed = 0;
  const timers: Timers = {
    now: () => now,
    setTimeout: (fn, ms) => {
      armed++;
      pending.push({ at: now + ms, fn, id: ++ids });
      return ids;
    },
    clearTimeout: (id) => {
      pending = pending.filter((t) => t.id !== id);
    },
  };
  const advance = (ms: number) => {
    const until = now + ms;
    for (;;) {
      const next = pending.filter((t) => t.at <= until).sort((a, b) => a.at - b.at)[0];
      if (!next) break;
      pending = pending.filter((t) => t !== next);
      now = next.at;
      next.fn();
    }
    now = until;
  };
  return { timers, advance, armed: () => armed, waiting: () => pending.length };
}

describe('Deadlines', () => {
  it('fires each deadline on time, earliest first, and never one that was cleared', () => {
    const p = platform();
    const deadlines = new Deadlines(p.timers);
    const fired: string[] = [];
    deadlines.setTimeout(() => fired.push('c'), 300);
    deadlines.setTimeout(() => fired.push('a'), 100);
    const b = deadlines.setTimeout(() => fired.push('b'), 200);
    deadlines.clearTimeout(b);
    p.advance(99);
    expect(fired).toEqual([]);
    p.advance(1);
    expect(fired).toEqual(['a']);
    p.advance(150);
    expect(fired).toEqual(['a']);
    p.advance(50);
    expect(fired).toEqual(['a', 'c']);
    expect(p.waiting()).toBe(0);
  });

  it('arms one platform timer for many calls that each set a deadline and clear it', () => {
    const p = platform();
    const deadlines = new Deadlines(p.timers);
    for (let call = 0; call < 1000; call++) {
      const handle = deadlines.setTimeout(() => {
        throw new Error('a cleared deadline fired');
      }, 10_000);
      p.advance(0.01);
      deadlines.clearTimeout(handle);
    }
    expect(p.armed()).toBe(1);
    // When that timer fires with nothing due, it arms nothing more.
    p.advance(20_000);
    expect(p.waiting()).toBe(0);
  });

  it('re-arms for a deadline earlier than the one armed, and for what is left after a fire', () => {
    const p = platform();
    const deadlines = new Deadlines(p.timers);
    const fired: number[] = [];
    deadlines.setTimeout(() => fired.push(p.timers.now()), 1000);
    deadlines.setTimeout(() => fired.push(p.timers.now()), 10);
    p.advance(2000);
    expect(fired).toEqual([10, 1000]);
  });

  it('lets a callback set the next deadline', () => {
    const p = platform();
    const deadlines = new Deadlines(p.timers);
    const fired: number[] = [];
    deadlines.setTimeout(() => {
      fired.push(p.timers.now());
      deadlines.setTimeout(() => fired.push(p.timers.now()), 50);
    }, 100);
    p.advance(500);
    expect(fired).toEqual([100, 150]);
  });
});
