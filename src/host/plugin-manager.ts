// Installed plugins and their lifecycle: install (from bytes), enable, disable, remove,
// restore after a reload, and event dispatch in load order.
import { checkCompatibility } from '../shared/contract.ts';
import type { MediaEvent } from '../shared/events.ts';
import type { PluginInfo, TraceInput } from '../shared/protocol.ts';
import { DEFAULT_MAX_WASM_BYTES, classifyWasm, kindProblem, sizeProblem } from '../shared/wasm-file.ts';
import { sha256Hex, type Compiler } from './compiler.ts';
import type { ConfigStore } from './config-store.ts';
import { storageErrorMessage, type PlaygroundDB, type PluginRecord } from './db.ts';
import { HostFunctions } from './host-functions.ts';
import { FULL_GRANT, subscribes, type PermissionGrant } from './permissions.ts';
import { PluginBridge, type BridgeState } from './plugin-bridge.ts';
import type { Catalog } from './catalog.ts';
import type { Trace } from './trace.ts';

/** Errors shown to the user as they are: the message is a full sentence saying what to do. */
export class InstallError extends Error {
  constructor(
    message: string,
    readonly details?: { unsatisfied?: string[]; wit?: string },
  ) {
    super(message);
    this.name = 'InstallError';
  }
}

export interface UploadedFile {
  name: string;
  size: number;
  bytes(): Promise<Uint8Array>;
}

export type InstallStep = 'checking' | 'transpiling' | 'reading-metadata' | 'saving';

export interface PluginView {
  record: PluginRecord;
  state: BridgeState;
  startedAt?: number;
  lastError?: string;
}

/** How deep `emit-event` may nest (an event emitted while handling an emitted event, ...). */
export const MAX_EMIT_DEPTH = 4;
const METADATA_TIMEOUT_MS = 10_000;

function pluginIdFor(name: string): string {
  const slug = name.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 64);
  return /^[a-z]/.test(slug) ? slug : `p-${slug}`.slice(0, 64);
}

export class PluginManager extends EventTarget {
  private readonly entries = new Map<string, { record: PluginRecord; bridge: PluginBridge }>();
  private readonly host: HostFunctions;
  maxWasmBytes = DEFAULT_MAX_WASM_BYTES;

  constructor(
    private readonly db: PlaygroundDB,
    private readonly compiler: Compiler,
    private readonly config: ConfigStore,
    private readonly trace: Trace,
    catalog: Catalog,
  ) {
    super();
    this.host = new HostFunctions({
      catalog,
      config,
      trace,
      grantFor: (id) => this.grantFor(id),
      emit: (source, name, payload) => this.emit(source, name, payload),
      instanceName: 'Plugin Playground',
    });
  }

  private changed(): void {
    this.dispatchEvent(new Event('change'));
  }

  private traceAdd = (input: TraceInput): void => {
    this.trace.add(input);
  };

  grantFor(_pluginId: string): PermissionGrant {
    return FULL_GRANT;
  }

  list(): PluginView[] {
    return [...this.entries.values()]
      .sort((a, b) => a.record.order - b.record.order)
      .map(({ record, bridge }) => ({
        record,
        state: bridge.state,
        startedAt: bridge.startedAt,
        lastError: bridge.lastError,
      }));
  }

  get(id: string): PluginView | undefined {
    return this.list().find((view) => view.record.id === id);
  }

  private bridgeFor(record: Pick<PluginRecord, 'id' | 'sha256' | 'bytes'>): PluginBridge {
    const bridge = new PluginBridge(record.id, {
      load: () => this.load(record),
      hostCall: (fn, args) => this.host.call(record.id, fn as never, args),
      trace: this.traceAdd,
    });
    bridge.addEventListener('change', () => this.changed());
    return bridge;
  }

  /** The transpiled files for a plugin, saying in the trace whether the cache had them. */
  private async load(record: Pick<PluginRecord, 'id' | 'sha256' | 'bytes'>) {
    const { entry, cached } = await this.compiler.compile(record.sha256, record.bytes);
    this.trace.add({
      kind: 'lifecycle',
      pluginId: record.id,
      step: cached ? 'cache-hit' : 'transpiled',
      detail: cached
        ? `transpiled output loaded from the cache (sha256 ${record.sha256.slice(0, 12)}…); no transpilation`
        : `transpiled in the compile worker in ${entry.transpileMs.toFixed(0)} ms`,
      durationMs: cached ? undefined : entry.transpileMs,
    });
    const jsFile = Object.keys(entry.transpiled.files).find((name) => name.endsWith('.js'));
    if (!jsFile) throw new Error('the transpiler produced no JavaScript bindings');
    return { files: entry.transpiled.files, entry: jsFile };
  }

  /** Loads installed plugins and starts the enabled ones (without waiting for them). */
  async restore(): Promise<void> {
    for (const record of await this.db.getAll('plugins')) {
      this.entries.set(record.id, { record, bridge: this.bridgeFor(record) });
    }
    this.changed();
    for (const { bridge, record } of this.entries.values()) {
      if (record.enabled) void bridge.start().catch(() => {});
    }
  }

  async install(
    file: UploadedFile,
    source: PluginRecord['source'],
    onStep: (step: InstallStep) => void = () => {},
  ): Promise<PluginRecord> {
    onStep('checking');
    const tooBig = sizeProblem(file.name, file.size, this.maxWasmBytes);
    if (tooBig) throw new InstallError(tooBig);
    const bytes = await file.bytes();
    const kindError = kindProblem(file.name, classifyWasm(bytes));
    if (kindError) throw new InstallError(kindError);
    const sha256 = await sha256Hex(bytes);

    onStep('transpiling');
    let compiled;
    try {
      compiled = await this.compiler.compile(sha256, bytes);
    } catch (e) {
      throw new InstallError(e instanceof Error ? e.message : String(e));
    }
    const { transpiled, wit } = compiled.entry;
    const compat = checkCompatibility(transpiled.imports, transpiled.exports.map(([name]) => name));
    if (!compat.ok) throw new InstallError(compat.message!, { unsatisfied: compat.unsatisfied, wit });

    onStep('reading-metadata');
    const info = await this.probeMetadata(file.name, sha256, bytes);
    const id = pluginIdFor(info.name);
    const existing = this.entries.get(id);
    const now = Date.now();
    const record: PluginRecord = {
      id,
      name: info.name,
      version: info.version,
      author: info.author,
      description: info.description,
      fileName: file.name,
      sha256,
      bytes,
      size: bytes.length,
      wit,
      imports: transpiled.imports,
      exports: transpiled.exports.map(([name]) => name),
      enabled: existing?.record.enabled ?? false,
      order: existing?.record.order ?? this.nextOrder(),
      source,
      installedAt: existing?.record.installedAt ?? now,
      updatedAt: now,
    };

    onStep('saving');
    try {
      await this.db.put('plugins', record);
    } catch (e) {
      throw new InstallError(storageErrorMessage(e, `plugin "${info.name}"`));
    }
    existing?.bridge.stop();
    const bridge = this.bridgeFor(record);
    this.entries.set(id, { record, bridge });
    this.trace.add({
      kind: 'lifecycle',
      pluginId: id,
      step: existing ? 'updated' : 'installed',
      detail: `${info.name} ${info.version} from ${file.name} (${bytes.length} bytes, ${compiled.cached ? 'transpile cache hit' : `transpiled in ${compiled.entry.transpileMs.toFixed(0)} ms`})`,
    });
    this.changed();
    if (record.enabled) void bridge.start().catch(() => {});
    return record;
  }

  private nextOrder(): number {
    return Math.max(0, ...[...this.entries.values()].map((e) => e.record.order + 1));
  }

  /** Calls `metadata()` in a throwaway worker, so nothing runs before the user enables it. */
  private async probeMetadata(fileName: string, sha256: string, bytes: Uint8Array): Promise<PluginInfo> {
    const probe = new PluginBridge(`probe:${fileName}`, {
      load: async () => {
        const { entry } = await this.compiler.compile(sha256, bytes);
        const jsFile = Object.keys(entry.transpiled.files).find((name) => name.endsWith('.js'))!;
        return { files: entry.transpiled.files, entry: jsFile };
      },
      hostCall: async () => ({ tag: 'err', val: 'host functions are not available while reading metadata' }),
      trace: () => {},
    });
    let timer: ReturnType<typeof setTimeout> | undefined;
    try {
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`metadata() did not return within ${METADATA_TIMEOUT_MS / 1000} s`)),
          METADATA_TIMEOUT_MS,
        );
      });
      const info = await Promise.race([probe.metadata(), timeout]);
      if (!info.name?.trim()) throw new Error('metadata() returned an empty name');
      return info;
    } catch (e) {
      throw new InstallError(
        `"${fileName}" is a plugin component, but reading its metadata failed: ${e instanceof Error ? e.message : String(e)}.`,
      );
    } finally {
      clearTimeout(timer);
      probe.stop();
    }
  }

  private async save(record: PluginRecord): Promise<void> {
    await this.db.put('plugins', record);
    this.entries.get(record.id)!.record = record;
    this.changed();
  }

  async enable(id: string): Promise<void> {
    const entry = this.entries.get(id);
    if (!entry) return;
    await this.save({ ...entry.record, enabled: true });
    await entry.bridge.start().catch(() => {});
  }

  async disable(id: string): Promise<void> {
    const entry = this.entries.get(id);
    if (!entry) return;
    await this.save({ ...entry.record, enabled: false });
    entry.bridge.stop();
  }

  /** Removes the plugin, its config and its transpile-cache entries. */
  async remove(id: string): Promise<void> {
    const entry = this.entries.get(id);
    if (!entry) return;
    entry.bridge.stop();
    await this.db.delete('plugins', id);
    await this.config.deleteAll(id);
    const sharedBytes = [...this.entries.values()].some((e) => e.record.id !== id && e.record.sha256 === entry.record.sha256);
    if (!sharedBytes) await this.compiler.forget(entry.record.sha256);
    this.entries.delete(id);
    this.trace.add({ kind: 'lifecycle', pluginId: id, step: 'removed', detail: 'bytes, config and transpile cache removed' });
    this.changed();
  }

  /**
   * Delivers an event to every enabled, subscribed plugin in load order. Fire-and-forget for
   * the caller; the promise settles when every plugin has handled it (for tests and emit).
   */
  async dispatch(event: MediaEvent, depth = 0, except?: string): Promise<void> {
    const targets = this.list().filter(
      (view) => view.record.enabled && view.record.id !== except && subscribes(this.grantFor(view.record.id), event.name),
    );
    await Promise.all(
      targets.map(async ({ record }) => {
        const bridge = this.entries.get(record.id)?.bridge;
        if (!bridge) return;
        this.trace.add({ kind: 'event', pluginId: record.id, event: event.name, payload: event.payload });
        const outcome = await bridge.deliver(event, depth);
        this.trace.add({ kind: 'event-result', pluginId: record.id, event: event.name, ...outcome });
      }),
    );
  }

  /** `emit-event`: to every other plugin subscribed to on_plugin_event, never the sender. */
  private emit(sourceId: string, eventName: string, payload: string): string | undefined {
    const depth = (this.entries.get(sourceId)?.bridge.currentDepth ?? 0) + 1;
    if (depth > MAX_EMIT_DEPTH) {
      const refused = `emit-event refused: "${eventName}" would be nested ${depth} deep; events emitted while handling emitted events stop at depth ${MAX_EMIT_DEPTH} so plugins cannot ping-pong forever`;
      this.trace.add({ kind: 'error', pluginId: sourceId, message: refused });
      return refused;
    }
    void this.dispatch(
      { name: 'on_plugin_event', payload: { source_plugin: sourceId, event_name: eventName, payload } },
      depth,
      sourceId,
    );
    return undefined;
  }
}
