// The limits a user can change (SoundTime's environment variables), persisted in IndexedDB.
import { storageErrorMessage, type PlaygroundDB } from './db.ts';
import { budgetMsForFuel, mibToBytes } from '../shared/limits.ts';

export interface Limits {
  /** SoundTime's PLUGIN_FUEL_LIMIT; enforced as a time budget per call (see watchdog.ts). */
  fuel: number;
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
  memoryMiB: 32,
  maxWasmMiB: 50,
  httpTimeoutSecs: 10,
  httpMaxMiB: 10,
  killsBeforeDisable: 3,
};

const RANGES: Record<keyof Limits, [number, number]> = {
  fuel: [1_000, 1_000_000_000],
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
    const stored = (await db.get('settings', 'limits')) as Partial<Limits> | undefined;
    return new Settings(db, { ...DEFAULT_LIMITS, ...stored });
  }

  get budgetMs(): number {
    return budgetMsForFuel(this.limits.fuel);
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
