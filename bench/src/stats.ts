// Summaries and the row format every figure reports. Figures are always relative: a value is
// shown next to a baseline measured in the same run, never against a fixed time.

export interface Summary {
  n: number;
  median: number;
  p99: number;
}

/** One line of the results table. Times are in milliseconds unless `unit` says otherwise. */
export interface Row {
  figure: string;
  name: string;
  unit: 'ms' | 'events/s' | 'MiB' | 'KiB' | 'workers';
  value: Summary;
  baseline?: { name: string; value: Summary };
  /** value / baseline, of the medians and of the p99s. */
  ratio?: { median: number; p99: number };
  target?: { text: string; met: boolean };
  note?: string;
}

/** Nearest-rank percentile of an already sorted list. */
function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

export function summarize(samples: number[]): Summary {
  const sorted = [...samples].sort((a, b) => a - b);
  return { n: sorted.length, median: percentile(sorted, 50), p99: percentile(sorted, 99) };
}

/**
 * a / b without the float error of the clock's ticks written in ms: 70 µs over 35 µs read as
 * 0.0700000003 / 0.0349999964 is 2.0000002, and a "≤ 2×" target compared it as missed. The
 * clock ticks in 5 µs at best, so no real ratio differs from another in its seventh digit.
 */
const quotient = (a: number, b: number) => Number((a / b).toPrecision(6));

export function row(
  figure: string,
  name: string,
  unit: Row['unit'],
  samples: number[],
  baseline?: { name: string; samples: number[] },
  extra: Pick<Row, 'note'> & { target?: (ratio: Row['ratio'], value: Summary) => Row['target'] } = {},
): Row {
  const value = summarize(samples);
  const base = baseline && { name: baseline.name, value: summarize(baseline.samples) };
  const ratio = base && { median: quotient(value.median, base.value.median), p99: quotient(value.p99, base.value.p99) };
  return { figure, name, unit, value, baseline: base, ratio, target: extra.target?.(ratio, value), note: extra.note };
}

/** Times `fn` `n` times after `warmup` untimed runs, one sample per run, in ms. */
export async function timeEach(n: number, fn: (i: number) => Promise<unknown>, warmup = Math.ceil(n / 10)): Promise<number[]> {
  for (let i = 0; i < warmup; i++) await fn(-1 - i);
  const samples: number[] = [];
  for (let i = 0; i < n; i++) {
    const began = performance.now();
    await fn(i);
    samples.push(performance.now() - began);
  }
  return samples;
}

/**
 * Runs the measurements turn about for `count` rounds, so background load on a shared machine
 * falls on all of them alike; returns each one's samples, in the order given.
 */
export async function rounds(count: number, measurements: Array<() => Promise<number[]>>): Promise<number[][]> {
  const samples = measurements.map(() => [] as number[]);
  for (let round = 0; round < count; round++) {
    for (const [i, measure] of measurements.entries()) samples[i]!.push(...(await measure()));
  }
  return samples;
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Reports progress to whoever drives the page (the bench script prints console lines). */
export function progress(message: string): void {
  console.log(`[bench] ${message}`);
}
