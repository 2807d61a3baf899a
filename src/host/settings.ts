// The limits a user can change (SoundTime's environment variables), persisted in IndexedDB.
import { storageErrorMessage, type PlaygroundDB } from './db.ts';
import type { CallBudget } from './bridge-types.ts';
import { DEFAULT_COMPONENT_FUEL, DEFAULT_TIME_LIMIT_MS, mibToBytes } from '../shared/limits.ts';
import type { Profile } from '../shared/protocol.ts';

export interface Limits {
  /** SoundTime's PLUGIN_FUEL_LIMIT: the fuel one call into a SoundTime module may use. */
  fuel: number;
  /** The fuel one call into a component may use (a JS engine's guest spends far more per call). */
  componentFuel: number;
  /** The watchdog: guest time one call may take, for what fuel does not count (see watchdog.ts). */
  timeLimitMs: number;
  /** PLUGIN_MEMORY_LIMIT_MB: every core module's memory maximum. */
  memoryMiB: number;
  /** PLUGIN_WASM_MAX_SIZE_MB: checked before a file is read. */
  maxWasmMiB: number;
  /** PLUGIN_HTTP_TIMEOUT_SECS. */
  httpTimeoutSecs: number;
  /** Largest HTTP response body a plugin may receive, enforced while streaming. */
  httpMaxMiB: number;
  /** Kills in a row (budget exceeded) after which a plugin is disabled. */
  killsBeforeDisable: number;
}

export const DEFAULT_LIMITS: Limits = {
  fuel: 1_000_000,
  componentFuel: DEFAULT_COMPONENT_FUEL,
  timeLimitMs: DEFAULT_TIME_LIMIT_MS,
  memoryMiB: 32,
  maxWasmMiB: 50,
  httpTimeoutSecs: 10,
  httpMaxMiB: 10,
  killsBeforeDisable: 3,
};

const RANGES: Record<keyof Limits, [number, number]> = {
  // Fuel counts down in an i64, but a budget travels as a JS number: whole up to 2^53.
  fuel: [1_000, 1_000_000_000_000],
  componentFuel: [1_000, 1_000_000_000_000],
  timeLimitMs: [10, 600_000],
  memoryMiB: [1, 4096],
  maxWasmMiB: [1, 1024],
  httpTimeoutSecs: [1, 600],
  httpMaxMiB: [1, 512],
  killsBeforeDisable: [1, 100],
};

/** Undefined when the value is acceptable, else a sentence saying the allowed range. */
export function limitProblem(key: keyof Limits, value: number): string | undefined {
  const [min, max] = RANGES[key];
  if (!Number.isInteger(value) || value < min || value > max) return `${key} must be a whole number from ${min} to ${max}`;
  return undefined;
}

export class Settings extends EventTarget {
  private constructor(
    private readonly db: PlaygroundDB,
    public limits: Limits,
  ) {
    super();
  }

  static async load(db: PlaygroundDB): Promise<Settings> {
    const stored = ((await db.get('settings', 'limits')) ?? {}) as Partial<Limits>;
    const limits = { ...DEFAULT_LIMITS };
    // Only the limits there are now, each as stored if it is still acceptable.
    for (const key of Object.keys(limits) as Array<keyof Limits>) {
      const value = stored[key];
      if (typeof value === 'number' && limitProblem(key, value) === undefined) limits[key] = value;
    }
    return new Settings(db, limits);
  }

  /** What one call into a plugin of this kind may use. */
  budgetFor(profile: Profile): CallBudget {
    return { fuel: profile === 'soundtime' ? this.limits.fuel : this.limits.componentFuel, timeMs: this.limits.timeLimitMs };
  }

  /** What the HTTP proxy enforces per request. */
  get httpLimits(): { timeoutMs: number; maxBodyBytes: number } {
    return { timeoutMs: this.limits.httpTimeoutSecs * 1000, maxBodyBytes: mibToBytes(this.limits.httpMaxMiB) };
  }

  /** The most memory any core module of a plugin may grow to. */
  get memoryCapBytes(): number {
    return mibToBytes(this.limits.memoryMiB);
  }

  /** Validates and saves; throws with a sentence naming the bad value. */
  async update(patch: Partial<Limits>): Promise<void> {
    for (const [key, value] of Object.entries(patch) as Array<[keyof Limits, number]>) {
      const problem = limitProblem(key, value);
      if (problem) throw new Error(problem);
    }
    const next = { ...this.limits, ...patch };
    try {
      await this.db.put('settings', next, 'limits');
    } catch (e) {
      throw new Error(storageErrorMessage(e, 'the settings'));
    }
    this.limits = next;
    this.dispatchEvent(new Event('change'));
  }
}
