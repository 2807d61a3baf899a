import { describe, expect, it } from 'vitest';
import type { Timers } from '../../src/host/deadlines.ts';
import { Watchdog } from '../../src/host/watchdog.ts';

/** Manual clock: time moves only when the test says so. */
function fakeTimers() {
  let now = 0;
  let pending: Array<{ at: number; fn: () => void; id: number }> = [];
  let ids = 0;
  const timers: Timers = {
    now: () => now,
    setTimeout: (fn, ms) => {
      pending.push({ at: now + ms, fn, id: ++ids });
      return ids;
    },
    clearTimeout: (id) => {
      pending = pending.filter((t) => t.id !== id);
    },
  };
  const advance = (ms: number) => {
    now += ms;
    for (const due of pending.filter((t) => t.at <= now)) {
      pending = pending.filter((t) => t !== due);
      due.fn();
    }
  };
  return { timers, advance };
}

describe('Watchdog', () => {
  it('expires once the budget of guest time is spent', () => {
    const { timers, advance } = fakeTimers();
    let expired = 0;
    const dog = new Watchdog(100, () => expired++, timers);
    dog.start();
    advance(99);
    expect(expired).toBe(0);
    advance(1);
    expect(expired).toBe(1);
    expect(dog.state).toBe('expired');
    advance(1000);
    expect(expired).toBe(1);
  });

  it('does not charge time spent waiting on host calls', () => {
    const { timers, advance } = fakeTimers();
    let expired = false;
    const dog = new Watchdog(100, () => (expired = true), timers);
    dog.start();
    advance(60);
    dog.hostCallStarted();
    advance(10_000);
    expect(dog.state).toBe('paused');
    expect(expired).toBe(false);
    dog.hostCallEnded();
    advance(39);
    expect(expired).toBe(false);
    advance(1);
    expect(expired).toBe(true);
  });

  it('stays paused until every overlapping host call has returned', () => {
    const { timers, advance } = fakeTimers();
    let expired = false;
    const dog = new Watchdog(50, () => (expired = true), timers);
    dog.start();
    dog.hostCallStarted();
    dog.hostCallStarted();
    dog.hostCallEnded();
    advance(500);
    expect(expired).toBe(false);
    dog.hostCallEnded();
    advance(50);
    expect(expired).toBe(true);
  });

  it('never fires after the call finished, and reports the time charged', () => {
    const { timers, advance } = fakeTimers();
    let expired = false;
    const dog = new Watchdog(100, () => (expired = true), timers);
    dog.start();
    advance(30);
    dog.stop();
    advance(1000);
    expect(expired).toBe(false);
    expect(dog.state).toBe('stopped');
    expect(dog.charged).toBe(30);
  });

  it('a host call ending after a stop does not restart it', () => {
    const { timers, advance } = fakeTimers();
    let expired = false;
    const dog = new Watchdog(10, () => (expired = true), timers);
    dog.start();
    dog.hostCallStarted();
    dog.stop();
    dog.hostCallEnded();
    advance(100);
    expect(expired).toBe(false);
  });
});

describe('Watchdog asking the worker before it kills', () => {
  function checked(budget: number) {
    const { timers, advance } = fakeTimers();
    let expired = 0;
    let asked = 0;
    const dog = new Watchdog(budget, () => expired++, timers, { ask: () => asked++, graceMs: 50 });
    dog.start();
    return { dog, advance, expired: () => expired, asked: () => asked };
  }

  it('a busy page does not get a healthy plugin killed: the worker says how little guest time it used', () => {
    const w = checked(100);
    // The page was busy for 150 ms (a long task); the guest itself ran 10 ms and waits on a reply.
    w.advance(150);
    expect(w.asked()).toBe(1);
    expect(w.dog.state).toBe('checking');
    w.dog.report(10);
    expect(w.expired()).toBe(0);
    expect(w.dog.state).toBe('running');
    w.advance(89);
    expect(w.expired()).toBe(0);
  });

  it('a spinning guest stays silent and is killed after the grace', () => {
    const w = checked(100);
    w.advance(100);
    expect(w.dog.state).toBe('checking');
    w.advance(49);
    expect(w.expired()).toBe(0);
    w.advance(1);
    expect(w.expired()).toBe(1);
    expect(w.dog.state).toBe('expired');
  });

  it('a worker that reports a spent budget is killed at once, charged what it reported', () => {
    const w = checked(100);
    w.advance(100);
    w.dog.report(120);
    expect(w.expired()).toBe(1);
    expect(w.dog.charged).toBe(120);
  });

  it('a silent worker is charged its budget, not the grace the page waited on top', () => {
    const w = checked(100);
    w.advance(100);
    w.advance(50);
    expect(w.expired()).toBe(1);
    expect(w.dog.charged).toBe(100);
  });

  it("host calls carry the worker's guest time, which replaces the page's own measure", () => {
    const w = checked(100);
    w.advance(80);
    w.dog.hostCallStarted(5);
    expect(w.dog.charged).toBe(5);
    w.advance(1000);
    w.dog.hostCallEnded();
    w.advance(94);
    expect(w.expired()).toBe(0);
    w.advance(1);
    expect(w.dog.state).toBe('checking');
  });
});
