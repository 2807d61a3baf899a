// Figure 5: the watchdog. How long after its budget a spinning call is rejected, how soon a
// fresh worker is ready after a kill, and whether a healthy plugin slows down while another spins.
import { BareWorker, timerElapsed } from '../baselines.ts';
import { witEvent } from '../events.ts';
import type { BenchHost, Component } from '../host.ts';
import { progress, row, sleep, summarize, timeEach, type Row } from '../stats.ts';

const BUDGET_MS = 100;
// Fuel would end the spin first: this figure is about the time limit, so fuel is out of the way.
const UNCOUNTED = { fuel: 1e15 };
// Chromium lets a terminated worker that spins run on for about 2 s; runs wait for it so that
// one run's zombie does not load the next.
const SETTLE_MS = 2500;

async function succeed(outcome: Promise<{ result: string; error?: string }>): Promise<void> {
  const { result, error } = await outcome;
  if (result !== 'success') throw new Error(`a healthy call failed: ${result} ${error ?? ''}`);
}

export async function watchdog(h: BenchHost, spin: Component, noop: Component, runs = 10): Promise<Row[]> {
  const F = '5 watchdog';
  progress(`watchdog: ${runs} kills at a ${BUDGET_MS} ms budget`);
  const spinner = h.bridge('watchdog:spin', spin, { budgetMs: () => BUDGET_MS, ...UNCOUNTED });
  const rejected: number[] = [];
  const timer: number[] = [];
  const expiryToKill: number[] = [];
  const killToRejected: number[] = [];
  const ready: number[] = [];
  const quietStart: number[] = [];
  const bareSpawn: number[] = [];
  for (let i = 0; i < runs; i++) {
    await spinner.start();
    let killedAt = 0;
    let respawn: Promise<unknown> = Promise.resolve();
    spinner.addEventListener(
      'killed',
      () => {
        killedAt = performance.now();
        // Ask for the replacement at once, as an event arriving right after the kill would.
        respawn = spinner.start();
      },
      { once: true },
    );
    const began = performance.now();
    // A bare timer of the same length, started with the call: it meets the same main thread.
    const bareTimer = timerElapsed(BUDGET_MS);
    const outcome = await spinner.deliver(witEvent('spin'), 0);
    const settled = performance.now();
    timer.push(await bareTimer);
    if (outcome.result !== 'timeout') throw new Error(`the spinner was not killed: ${outcome.result}`);
    await respawn;
    ready.push(performance.now() - killedAt);
    rejected.push(settled - began);
    expiryToKill.push(killedAt - began - BUDGET_MS);
    killToRejected.push(settled - killedAt);
    await sleep(SETTLE_MS);
    // The same start with no spinning zombie about.
    spinner.stop();
    const quiet = performance.now();
    await spinner.start();
    quietStart.push(performance.now() - quiet);
    const { bare, readyMs } = await BareWorker.spawn();
    bare.terminate();
    bareSpawn.push(readyMs);
  }
  spinner.stop();

  progress('watchdog: a healthy plugin while another spins');
  const healthy = h.bridge('watchdog:healthy', noop);
  await healthy.start();
  const longSpin = h.bridge('watchdog:long-spin', spin, { budgetMs: () => 2000, ...UNCOUNTED });
  const alone: number[] = [];
  const during: number[] = [];
  const event = witEvent('{}');
  for (let round = 0; round < 3; round++) {
    await longSpin.start();
    alone.push(...(await timeEach(300, () => succeed(healthy.deliver(event, 0)))));
    const spinning = longSpin.deliver(witEvent('spin'), 0);
    await sleep(50);
    during.push(...(await timeEach(300, () => succeed(healthy.deliver(event, 0)), 0)));
    const outcome = await spinning;
    if (outcome.result !== 'timeout') throw new Error(`the long spinner was not killed: ${outcome.result}`);
    await sleep(SETTLE_MS);
  }
  healthy.stop();
  longSpin.stop();

  const med = (v: number[]) => summarize(v).median.toFixed(1);
  return [
    row(
      F,
      `spinning call rejected (budget ${BUDGET_MS} ms), from the call`,
      'ms',
      rejected,
      { name: `a bare setTimeout(${BUDGET_MS}) started with the call`, samples: timer },
      {
        note: `median: the watchdog's timer fired ${med(expiryToKill)} ms after the budget, the call was rejected ${med(killToRejected)} ms after the kill`,
        target: (_, value) => ({ text: `≤ budget + 50 ms (${BUDGET_MS + 50} ms, median)`, met: value.median <= BUDGET_MS + 50 }),
      },
    ),
    row(
      F,
      'kill -> fresh worker ready (a spinning zombie still running)',
      'ms',
      ready,
      { name: 'the same start with no zombie', samples: quietStart },
      {
        target: (_, value) => ({ text: '≤ 250 ms (median)', met: value.median <= 250 }),
      },
    ),
    row(F, 'kill -> fresh worker ready', 'ms', ready, { name: 'new bare module worker to its first answer', samples: bareSpawn }),
    row(
      F,
      'healthy plugin event round trip while another spins',
      'ms',
      during,
      { name: 'the same with nothing spinning', samples: alone },
      {
        target: (ratio) => ratio && { text: '≤ 1.5× without the spinner (median)', met: ratio.median <= 1.5 },
      },
    ),
  ];
}
