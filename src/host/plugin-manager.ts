// Installed plugins and their lifecycle: install and update (from dropped files), review and
// approve, enable, disable, reorder, edit the manifest, remove; restore after a reload. Event
// delivery is the dispatcher's and host functions are HostFunctions'; the playground
// (playground.ts) wires them to the bridges this manager owns.
import { mibToBytes } from '../shared/limits.ts';
import type { ManifestIssue } from '../shared/manifest.ts';
import { describePermissions } from '../shared/manifest-text.ts';
import type { EventReply, HostFunctionName, WitResult } from '../shared/protocol.ts';
import type { AskedAt, TraceInput } from '../shared/trace-types.ts';
import type { Compiler } from './compiler.ts';
import type { ConfigStore } from './config-store.ts';
import type { EventsLog } from './events-log.ts';
import { storageErrorMessage, type PlaygroundDB, type PluginRecord } from './db.ts';
import { InstallError, preparePlugin, type InstallStep, type UploadedFile } from './install.ts';
import { ReplaceQuestion } from './install-error.ts';
import type { PluginLoader } from './loader.ts';
import { effectiveGrant, NO_GRANT, type PermissionGrant } from './permissions.ts';
import type { BridgeState } from './bridge-types.ts';
import { PluginBridge } from './plugin-bridge.ts';
import { editedRecord, installDetail, needsReview, reviewOf, uploadedRecord, type Review } from './plugin-records.ts';
import type { Settings } from './settings.ts';
import type { Trace } from './trace.ts';

export { InstallError, ReplaceQuestion, type InstallStep, type Review, type UploadedFile };

export interface PluginView {
  record: PluginRecord;
  state: BridgeState;
  startedAt?: number;
  lastError?: string;
  /** True while the manifest asks for permissions the user has not approved. */
  needsReview: boolean;
}

export interface InstallOutcome {
  record: PluginRecord;
  updated: boolean;
  /** Something the user should know, e.g. that an update needs a new review. */
  notice?: string;
}

/** What a plugin's worker reaches on the page, wired where the playground is assembled. */
export interface PluginWiring {
  hostCall(pluginId: string, fn: HostFunctionName, args: unknown[], at?: AskedAt): Promise<WitResult<unknown>>;
  /** Hydrust's `publish(ev)`. */
  publish(pluginId: string, event: unknown): void;
}

export class PluginManager extends EventTarget {
  private readonly entries = new Map<string, { record: PluginRecord; bridge: PluginBridge }>();

  constructor(
    private readonly db: PlaygroundDB,
    private readonly compiler: Compiler,
    private readonly loader: PluginLoader,
    private readonly config: ConfigStore,
    private readonly trace: Trace,
    private readonly settings: Settings,
    private readonly eventsLog: EventsLog,
    private readonly wiring: PluginWiring,
  ) {
    super();
  }

  /** The bridge of an installed plugin, for the dispatcher and the host functions. */
  bridge(id: string): PluginBridge | undefined {
    return this.entries.get(id)?.bridge;
  }

  private changed(): void {
    this.dispatchEvent(new Event('change'));
  }

  private traceAdd = (input: TraceInput): void => {
    this.trace.add(input);
  };

  /** What a plugin may do right now: what was approved, narrowed to what its manifest asks. */
  grantFor(pluginId: string): PermissionGrant {
    const record = this.entries.get(pluginId)?.record;
    if (!record?.approved) return NO_GRANT;
    return effectiveGrant(record.approved, record.manifest.permissions);
  }

  /** Installed plugins' records in load order: what each delivery walks, so no view is made. */
  records(): ReadonlyArray<{ readonly record: PluginRecord; readonly bridge: PluginBridge }> {
    return [...this.entries.values()].sort((a, b) => a.record.order - b.record.order);
  }

  list(): PluginView[] {
    return this.records().map(view);
  }

  get(id: string): PluginView | undefined {
    const entry = this.entries.get(id);
    return entry && view(entry);
  }

  private bridgeFor(record: PluginRecord): PluginBridge {
    const runtime = this.loader.runtimes.forProfile(record.profile);
    const bridge = new PluginBridge(record.id, {
      load: (early) => {
        // Its first get-config then finds the config read: the read overlaps the worker's start.
        if (this.grantFor(record.id).configAccess) this.config.preload(record.id);
        return this.loader.load(record, true, early);
      },
      hostCall: (fn, args, at) => this.wiring.hostCall(record.id, fn, args, at),
      publish: (event) => this.wiring.publish(record.id, event),
      afterCall: runtime.afterCall ? (reply: EventReply) => runtime.afterCall!(record.id, reply) : undefined,
      trace: this.traceAdd,
      budget: () => this.settings.budgetFor(record.profile),
    });
    bridge.addEventListener('change', () => this.changed());
    bridge.addEventListener('killed', () => void this.onKilled(record.id, bridge));
    return bridge;
  }

  /** A plugin killed too many times in a row is disabled until the user enables it again. */
  private async onKilled(id: string, bridge: PluginBridge): Promise<void> {
    const limit = this.settings.limits.killsBeforeDisable;
    const record = this.entries.get(id)?.record;
    if (!record?.enabled || bridge.consecutiveKills < limit) return;
    const notice = `Disabled after ${bridge.consecutiveKills} calls in a row ran past their budget. Fix the plugin or raise the fuel or time limit in Settings, then enable it again.`;
    await this.save({ ...record, enabled: false, notice });
    bridge.stop();
    this.trace.add({ kind: 'lifecycle', pluginId: id, step: 'disabled', detail: notice });
  }

  /** Stops every plugin's worker; their records stay as they are (the page is giving up its storage). */
  stopAll(): void {
    for (const { bridge } of this.entries.values()) bridge.stop();
  }

  /** Loads installed plugins and starts the enabled ones (without waiting for them). */
  async restore(): Promise<void> {
    for (const record of await this.db.getAll('plugins')) {
      this.entries.set(record.id, { record, bridge: this.bridgeFor(record) });
    }
    this.changed();
    for (const { bridge, record } of this.entries.values()) {
      if (record.enabled && !needsReview(record)) void bridge.start().catch(() => {});
    }
  }

  /**
   * Installs the dropped files as a plugin, or updates the installed plugin of the same name
   * (its config, approvals and place in the load order are kept). With `expectId`, refuses a
   * component of another name.
   */
  async install(
    files: readonly UploadedFile[],
    source: PluginRecord['source'],
    onStep: (step: InstallStep) => void = () => {},
    expectId?: string,
    replace?: { keepConfig: boolean },
  ): Promise<InstallOutcome> {
    const prepared = await preparePlugin(
      files,
      {
        runtimes: this.loader.runtimes,
        maxWasmBytes: mibToBytes(this.settings.limits.maxWasmMiB),
        probe: (plugin) => this.loader.probe(plugin),
        installedManifest: (id) => {
          const record = this.entries.get(id)?.record;
          return record && { text: record.manifestText, draft: record.draft };
        },
      },
      onStep,
    );
    if (expectId && prepared.id !== expectId) {
      throw new InstallError(`This component is "${prepared.id}", not "${expectId}": an update keeps the plugin's name. Add it as a new plugin instead.`);
    }
    const installed = this.entries.get(prepared.id)?.record;
    // Outside its card's Update…, a different component under an installed name is a takeover
    // until the user says otherwise; a replacement keeps nothing it was granted.
    const takeover = installed !== undefined && expectId === undefined && installed.sha256 !== prepared.sha256;
    if (takeover && !replace) throw new ReplaceQuestion(prepared.id, installed.fileName, prepared.fileName);
    const existing = takeover ? { ...installed, approved: undefined, enabled: false } : installed;
    if (takeover && !replace?.keepConfig) await this.config.deleteAll(prepared.id);
    const { record, notice } = uploadedRecord(prepared, existing, source, this.nextOrder());
    const { id } = record;

    onStep('saving');
    try {
      await this.db.put('plugins', record);
    } catch (e) {
      throw new InstallError(storageErrorMessage(e, `plugin "${id}"`));
    }
    this.entries.get(id)?.bridge.stop();
    const bridge = this.bridgeFor(record);
    this.entries.set(id, { record, bridge });
    this.trace.add({
      kind: 'lifecycle',
      pluginId: id,
      step: existing ? 'updated' : 'installed',
      detail: installDetail(record, prepared, takeover ? { replaced: installed.fileName, keptConfig: Boolean(replace?.keepConfig) } : undefined, notice),
    });
    this.changed();
    if (record.enabled) void bridge.start().catch(() => {});
    return { record, updated: Boolean(existing), notice };
  }

  private nextOrder(): number {
    return Math.max(0, ...[...this.entries.values()].map((e) => e.record.order + 1));
  }

  private async save(record: PluginRecord): Promise<void> {
    try {
      await this.db.put('plugins', record);
    } catch (e) {
      throw new Error(storageErrorMessage(e, `plugin "${record.id}"`));
    }
    this.entries.get(record.id)!.record = record;
    this.changed();
  }

  /** What enabling would grant, for the review dialog. */
  review(id: string): Review | undefined {
    const record = this.entries.get(id)?.record;
    return record && reviewOf(record);
  }

  /** Records the user's approval of everything the manifest asks for now. */
  async approve(id: string): Promise<void> {
    const record = this.entries.get(id)?.record;
    if (!record) return;
    await this.save({ ...record, approved: structuredClone(record.manifest.permissions), approvedPanel: record.manifest.ui.enabled, notice: undefined });
    this.trace.add({ kind: 'lifecycle', pluginId: id, step: 'approved', detail: describePermissions(record.manifest.permissions).join('; ') });
  }

  async enable(id: string): Promise<void> {
    const entry = this.entries.get(id);
    if (!entry) return;
    if (needsReview(entry.record)) throw new Error(`${id} asks for permissions that have not been approved; review them first.`);
    entry.bridge.consecutiveKills = 0;
    await this.save({ ...entry.record, enabled: true, notice: undefined });
    await entry.bridge.start().catch(() => {});
  }

  async disable(id: string): Promise<void> {
    const entry = this.entries.get(id);
    if (!entry) return;
    await this.save({ ...entry.record, enabled: false });
    entry.bridge.stop();
  }

  /** Moves a plugin up (-1) or down (+1) in the load order. */
  async move(id: string, delta: -1 | 1): Promise<void> {
    const ordered = this.list().map((view) => view.record);
    const from = ordered.findIndex((record) => record.id === id);
    const to = from + delta;
    if (from < 0 || to < 0 || to >= ordered.length) return;
    [ordered[from], ordered[to]] = [ordered[to]!, ordered[from]!];
    const tx = this.db.transaction('plugins', 'readwrite');
    const renumbered = ordered.map((record, order) => ({ ...record, order }));
    await Promise.all([...renumbered.map((record) => tx.store.put(record)), tx.done]);
    for (const record of renumbered) this.entries.get(record.id)!.record = record;
    this.changed();
  }

  /**
   * Saves an edited manifest. Invalid text is refused with its issues. A manifest that asks
   * for more than was approved disables the plugin until it is reviewed again.
   */
  async saveManifest(id: string, text: string): Promise<{ errors: ManifestIssue[]; notice?: string }> {
    const record = this.entries.get(id)?.record;
    if (!record) return { errors: [] };
    const edited = editedRecord(record, text);
    if ('errors' in edited) return edited;
    const { record: next, notice } = edited;
    await this.save(next);
    if (notice) this.entries.get(id)!.bridge.stop();
    this.trace.add({ kind: 'lifecycle', pluginId: id, step: 'updated', detail: `manifest saved${notice ? `; ${notice}` : ''}` });
    return { errors: [], notice };
  }

  /** Removes the plugin, its config, its transpile-cache entries and its trace records. */
  async remove(id: string): Promise<void> {
    const entry = this.entries.get(id);
    if (!entry) return;
    entry.bridge.stop();
    await this.db.delete('plugins', id);
    await this.config.deleteAll(id);
    await this.eventsLog.deleteFor(id);
    const sharedBytes = [...this.entries.values()].some((e) => e.record.id !== id && e.record.sha256 === entry.record.sha256);
    if (!sharedBytes) {
      await this.compiler.forget(entry.record.sha256);
      this.loader.runtimes.forget(entry.record.sha256);
    }
    this.entries.delete(id);
    this.dispatchEvent(new CustomEvent<string>('removed', { detail: id }));
    this.trace.removePlugin(id);
    this.trace.add({ kind: 'lifecycle', pluginId: id, step: 'removed', detail: 'component, config, transpile cache and logs removed' });
    this.changed();
  }
}

function view({ record, bridge }: { record: PluginRecord; bridge: PluginBridge }): PluginView {
  return { record, state: bridge.state, startedAt: bridge.startedAt, lastError: bridge.lastError, needsReview: needsReview(record) };
}
