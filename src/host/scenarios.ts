// Recording and replaying scenarios, per plugin. A recording collects the plugin's trace records
// from Record to Stop (with its config as it was at the start) and becomes a scenario; a replay
// plays a scenario against the plugin as installed now and keeps what it saw, checked against
// the expectations and compared with what was recorded, for the replay view and the runner.
import { MAX_RECORDED_OUTCOMES } from '../shared/limits.ts';
import type { TraceRecord } from '../shared/trace-types.ts';
import { checkScenario, exported, type Check, type ExportedRecord, type Scenario } from '../shared/scenario.ts';
import { compareOutcomes, type Comparison } from '../shared/scenario-compare.ts';
import { recordScenario, type Recorded } from '../shared/scenario-record.ts';
import type { PluginManager } from './plugin-manager.ts';
import { playScenario, type PlayerDeps } from './scenario-player.ts';

export interface Recording {
  startedAt: number;
  config: Record<string, string>;
  /** The trace's newest seq when it began: the recording is what the trace added after it. */
  fromSeq: number;
  /** Events received so far, as the trace's listeners have heard. */
  events: number;
}

export interface ReplayResult {
  pluginId: string;
  /** The plugin's version the scenario was played against. */
  version: string;
  /** Where the scenario came from: a file name, or "the last recording". */
  source: string;
  scenario: Scenario;
  checks: Check[];
  comparison: Comparison;
  notes: string[];
  /** The plugin's records during the replay, as the trace export writes them. */
  records: ExportedRecord[];
  passed: number;
  failed: number;
}

export class Scenarios extends EventTarget {
  private readonly recordings = new Map<string, { recording: Recording; stop(): void }>();
  private readonly recorded = new Map<string, Recorded>();
  private readonly replays = new Map<string, ReplayResult>();
  private readonly running = new Set<string>();

  constructor(private readonly deps: PlayerDeps & { plugins: PluginManager }) {
    super();
    deps.plugins.addEventListener('removed', (e) => {
      const id = (e as CustomEvent<string>).detail;
      this.recordings.get(id)?.stop();
      this.recordings.delete(id);
      this.recorded.delete(id);
      this.replays.delete(id);
      this.changed();
    });
  }

  private changed(): void {
    this.dispatchEvent(new Event('change'));
  }

  recording(id: string): Readonly<Recording> | undefined {
    return this.recordings.get(id)?.recording;
  }

  async startRecording(id: string): Promise<void> {
    if (this.recordings.has(id)) return;
    const config = Object.fromEntries(await this.deps.config.entries(id));
    const recording: Recording = { startedAt: Date.now(), config, fromSeq: this.deps.trace.lastSeq(), events: 0 };
    // Only the count for the card is kept live; the records are read from the trace at the end.
    const count = (e: Event) => {
      const events = (e as CustomEvent<readonly TraceRecord[]>).detail.filter((record) => record.pluginId === id && record.kind === 'event').length;
      if (events === 0) return;
      recording.events += events;
      this.changed();
    };
    this.deps.trace.addEventListener('records', count);
    this.recordings.set(id, { recording, stop: () => this.deps.trace.removeEventListener('records', count) });
    this.changed();
  }

  /** Ends the recording and returns its scenario; undefined when none was running. */
  stopRecording(id: string): (Recorded & { full: boolean }) | undefined {
    const entry = this.recordings.get(id);
    if (!entry) return undefined;
    entry.stop();
    this.recordings.delete(id);
    const records = this.deps.trace.since(entry.recording.fromSeq).filter((record) => record.pluginId === id);
    const full = records.length > MAX_RECORDED_OUTCOMES;
    const recorded = recordScenario(entry.recording.config, records.slice(0, MAX_RECORDED_OUTCOMES).map(exported));
    this.recorded.set(id, recorded);
    this.changed();
    return { ...recorded, full };
  }

  /** The scenario of the plugin's last recording in this page, with the fuel it counted. */
  lastRecording(id: string): Readonly<Recorded> | undefined {
    return this.recorded.get(id);
  }

  isReplaying(id: string): boolean {
    return this.running.has(id);
  }

  lastReplay(id: string): Readonly<ReplayResult> | undefined {
    return this.replays.get(id);
  }

  /** Plays `scenario` against the enabled plugin `id`; `recordedFuel` comes with its own recording. */
  async replay(id: string, scenario: Scenario, source: string, recordedFuel: ReadonlyArray<number | undefined> = []): Promise<ReplayResult> {
    const view = this.deps.plugins.get(id);
    if (!view) throw new Error(`${id} is not installed.`);
    if (!view.record.enabled) throw new Error(`${id} is not enabled: enable it, then replay.`);
    if (this.running.has(id)) throw new Error(`${id} is already replaying a scenario; wait for it to finish.`);
    this.running.add(id);
    this.changed();
    try {
      const { records, notes } = await playScenario(this.deps, id, scenario);
      const checks = checkScenario(scenario, records);
      const passed = checks.filter((check) => check.matched).length;
      const result: ReplayResult = {
        pluginId: id,
        version: view.record.manifest.plugin.version,
        source,
        scenario,
        checks,
        comparison: compareOutcomes(scenario.expect, recordedFuel, records),
        notes,
        records,
        passed,
        failed: checks.length - passed,
      };
      this.replays.set(id, result);
      return result;
    } finally {
      this.running.delete(id);
      this.changed();
    }
  }
}
