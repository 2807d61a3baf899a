// Components that are not plugins, opened to be explored: read and transpiled in a compile
// worker, kept in IndexedDB until removed, each with its own session (worker) and stub values.
import { wrap, type Remote } from 'comlink';
import { checkCompatibility } from '../../shared/contract.ts';
import type { ExploreCompileApi, ExploredComponent } from '../../shared/explore-protocol.ts';
import type { TraceInput } from '../../shared/trace-types.ts';
import { capModuleMemories } from '../../shared/memory-share.ts';
import { itemFunctions, type WitFunction } from '../../shared/wit/model.ts';
import { readJson } from '../../shared/wit/fields.ts';
import type { Checked } from '../../shared/wit/values.ts';
import { sha256Hex } from '../compiler.ts';
import { storageErrorMessage, type ExploredRecord, type PlaygroundDB } from '../db.ts';
import type { Settings } from '../settings.ts';
import { explorePluginId } from './explore-trace.ts';
import { ExploreSession, type CallReport } from './session.ts';

export interface ExploreDeps {
  db: PlaygroundDB;
  settings: Settings;
  trace(input: TraceInput): void;
}

export interface DroppedFile {
  name: string;
  bytes(): Promise<Uint8Array>;
}

/** True for a component none of the plugin profiles recognise: it is explored, not refused. */
export function isExplorable(wit: string): boolean {
  return checkCompatibility(wit).profile === undefined;
}

/** Its own compile worker, started on first use: most pages never explore anything. */
class ExploreCompiler {
  private api?: Remote<ExploreCompileApi>;

  explore(bytes: Uint8Array): Promise<ExploredComponent> {
    this.api ??= wrap<ExploreCompileApi>(new Worker(new URL('../../compile/compile-worker.ts', import.meta.url), { type: 'module', name: 'explore-compile' }));
    return this.api.explore(bytes);
  }
}

export class Explorer extends EventTarget {
  private readonly records = new Map<string, ExploredRecord>();
  private readonly sessions = new Map<string, ExploreSession>();
  private readonly compiler = new ExploreCompiler();
  /** Set when saving failed; the component still works until the page closes. */
  storageProblem?: string;
  /** The component the Explore view shows. */
  selected?: string;

  constructor(private readonly deps: ExploreDeps) {
    super();
  }

  async restore(): Promise<void> {
    for (const record of await this.deps.db.getAll('explored')) this.records.set(record.id, record);
    this.selected = this.list()[0]?.id;
    this.changed();
  }

  private changed(): void {
    this.dispatchEvent(new Event('change'));
  }

  list(): ExploredRecord[] {
    return [...this.records.values()].sort((a, b) => a.addedAt - b.addedAt);
  }

  select(id: string | undefined): void {
    this.selected = id;
    this.changed();
  }

  get(id: string): ExploredRecord | undefined {
    return this.records.get(id);
  }

  private async save(record: ExploredRecord): Promise<void> {
    try {
      await this.deps.db.put('explored', record);
      this.storageProblem = undefined;
    } catch (e) {
      this.storageProblem = storageErrorMessage(e, `${record.fileName} for the next visit`);
    }
  }

  /** Reads a component for the Explore view; the same file again opens the record it already has. */
  async open(file: DroppedFile): Promise<ExploredRecord> {
    const bytes = await file.bytes();
    const id = await sha256Hex(bytes);
    const known = this.records.get(id);
    if (known) {
      this.select(id);
      return known;
    }
    const began = performance.now();
    const explored = await this.compiler.explore(bytes);
    const record: ExploredRecord = {
      id,
      fileName: file.name,
      bytes,
      size: bytes.length,
      wit: explored.wit,
      world: explored.world,
      transpiled: explored.transpiled,
      transpiler: __TRANSPILER_VERSION__,
      stubs: {},
      addedAt: Date.now(),
    };
    this.records.set(id, record);
    await this.save(record);
    this.deps.trace({
      kind: 'lifecycle',
      pluginId: explorePluginId(file.name),
      step: 'transpiled',
      detail: `opened in Explore: not a plugin, so not installed; read and transpiled in ${(performance.now() - began).toFixed(0)} ms`,
    });
    this.select(id);
    return record;
  }

  async remove(id: string): Promise<void> {
    this.sessions.get(id)?.stop();
    this.sessions.delete(id);
    const record = this.records.get(id);
    this.records.delete(id);
    if (this.selected === id) this.selected = this.list()[0]?.id;
    await this.deps.db.delete('explored', id);
    if (record) this.deps.trace({ kind: 'lifecycle', pluginId: explorePluginId(record.fileName), step: 'removed', detail: 'removed from Explore' });
    this.changed();
  }

  /** An imported function's WIT, by `<interface>#<function>`. */
  importedFunction(id: string, key: string): WitFunction | undefined {
    return this.records
      .get(id)
      ?.world.imports.flatMap(itemFunctions)
      .find((entry) => entry.key === key)?.fn;
  }

  /** The checked value of every stub the user set. Stored text is re-checked: it was checked when set. */
  private stubValues(record: ExploredRecord): Record<string, unknown> {
    const values: Record<string, unknown> = {};
    for (const [key, text] of Object.entries(record.stubs)) {
      const result = this.importedFunction(record.id, key)?.result;
      const checked = result && readJson(result, text, key);
      if (checked?.ok) values[key] = checked.value;
    }
    return values;
  }

  /** Sets what a stubbed import returns (JSON, checked against its result type); empty text clears it. */
  async setStub(id: string, key: string, text: string): Promise<Checked> {
    const record = this.records.get(id);
    const fn = record && this.importedFunction(id, key);
    if (!record || !fn?.result) return { ok: false, error: `${key} returns nothing, so there is no value to set` };
    if (text.trim() === '') {
      delete record.stubs[key];
      this.sessions.get(id)?.setStub(key, undefined);
      await this.save(record);
      return { ok: true, value: undefined };
    }
    const checked = readJson(fn.result, text, `the value for ${key}`);
    if (!checked.ok) return checked;
    record.stubs[key] = text;
    this.sessions.get(id)?.setStub(key, checked.value);
    await this.save(record);
    return checked;
  }

  session(id: string): ExploreSession {
    let session = this.sessions.get(id);
    if (session) return session;
    const record = this.records.get(id);
    if (!record) throw new Error(`no explored component ${id}`);
    session = new ExploreSession({
      pluginId: explorePluginId(record.fileName),
      trace: this.deps.trace,
      timeLimitMs: () => this.deps.settings.limits.timeLimitMs,
      load: async () => {
        if (record.transpiler !== __TRANSPILER_VERSION__) {
          const again = await this.compiler.explore(record.bytes);
          Object.assign(record, { transpiled: again.transpiled, world: again.world, wit: again.wit, transpiler: __TRANSPILER_VERSION__ });
          await this.save(record);
        }
        const entry = Object.keys(record.transpiled.files).find((name) => name.endsWith('.js'));
        if (!entry) throw new Error('the transpiler produced no JavaScript bindings');
        const files = capModuleMemories(record.transpiled.files, this.deps.settings.memoryCapBytes);
        return { entry, files, world: record.world, stubs: this.stubValues(record) };
      },
    });
    this.sessions.set(id, session);
    return session;
  }

  call(id: string, key: string, args: unknown[]): Promise<CallReport> {
    return this.session(id).call(key, args);
  }
}
