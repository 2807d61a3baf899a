import { describe, expect, it } from 'vitest';
import { Watchdog, type Timers } from '../../src/host/watchdog.ts';

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
