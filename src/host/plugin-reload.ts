// Reload on rebuild: a new build of an installed plugin (from a watched file, dropped on its
// card or picked with its Update… button) replaces it in place through the plugin manager's
// update, which keeps its config and approvals unless it asks for more (then it waits for a
// review; see plugin-records.ts). Each reload is one `reloaded` step in the trace with the old
// and new SHA-256. Reloads of one plugin run one after another.
import type { PluginRecord } from './db.ts';
import { sha256Hex } from './compiler.ts';
import { FileWatch, type WatchedHandle, type WatchStatus } from './file-watch.ts';
import { InstallError } from './install-error.ts';
import type { InstallStep, PluginManager, UploadedFile } from './plugin-manager.ts';
import type { Trace } from './trace.ts';

export type ReloadSource = 'watch' | 'drop' | 'update';

/** How the trace says where a build came from. */
const FROM: Record<ReloadSource, string> = { watch: 'from the watched file', drop: 'dropped on its card', update: 'picked with Update…' };

export interface ReloadOutcome {
  /** False when the build was the one installed already. */
  reloaded: boolean;
  record: PluginRecord;
  /** A sentence for the card. */
  message: string;
  /** Set when the new build asks for more than was approved. */
  notice?: string;
}

const isWasm = (file: UploadedFile) => file.name.toLowerCase().endsWith('.wasm');

export class PluginReloader extends EventTarget {
  private readonly watches = new Map<string, FileWatch>();
  private readonly queues = new Map<string, Promise<unknown>>();

  constructor(
    private readonly plugins: PluginManager,
    private readonly trace: Trace,
  ) {
    super();
    plugins.addEventListener('removed', (e) => this.unwatch((e as CustomEvent<string>).detail));
  }

  /** Replaces plugin `id` with the build in `files` (a .wasm, optionally its plugin.toml and UI page). */
  reload(id: string, files: readonly UploadedFile[], source: ReloadSource, onStep?: (step: InstallStep) => void): Promise<ReloadOutcome> {
    const run = (this.queues.get(id) ?? Promise.resolve()).then(() => this.replace(id, files, source, onStep));
    this.queues.set(
      id,
      run.catch(() => {}),
    );
    return run;
  }

  private async replace(id: string, files: readonly UploadedFile[], source: ReloadSource, onStep?: (step: InstallStep) => void): Promise<ReloadOutcome> {
    const before = this.plugins.get(id)?.record;
    if (!before) throw new InstallError(`${id} is no longer installed; add the build as a new plugin instead.`);
    const wasm = files.filter(isWasm);
    let upload = [...files];
    if (wasm.length === 1) {
      const bytes = await wasm[0]!.bytes();
      const withManifest = files.some((file) => file.name.toLowerCase().endsWith('.toml'));
      if (!withManifest && (await sha256Hex(bytes)) === before.sha256) {
        return { reloaded: false, record: before, message: `${wasm[0]!.name} is the build already installed (same SHA-256); nothing to reload.` };
      }
      // Without a manifest a SoundTime module is named after its file: keep the installed name so
      // that a build written to another path still updates this plugin.
      const name = withManifest ? wasm[0]!.name : before.fileName;
      upload = files.map((file) => (file === wasm[0] ? { name, size: bytes.length, bytes: async () => bytes } : file));
    }
    const { record, notice } = await this.plugins.install(upload, 'upload', onStep, id);
    const { version } = record.manifest.plugin;
    const said = record.info.version !== version ? ` (the component says ${record.info.version})` : '';
    const kept = notice ? 'it asks for more than you approved and waits for a review' : 'approvals kept';
    this.trace.add({
      kind: 'lifecycle',
      pluginId: id,
      step: 'reloaded',
      detail: `new build ${FROM[source]} (${wasm[0]?.name ?? record.fileName}): sha256 ${before.sha256} → ${record.sha256}; version ${before.manifest.plugin.version} → ${version}${said}; config kept, ${kept}`,
    });
    const restarted = record.enabled ? '; it restarted with it' : '';
    const message = notice ?? (source === 'update' ? `Updated to ${version}.` : `Reloaded the new build (sha256 ${record.sha256.slice(0, 12)}…)${restarted}.`);
    return { reloaded: true, record, message, notice };
  }

  /** Starts watching a file for plugin `id`, replacing any watch it had. */
  watch(id: string, handle: WatchedHandle): void {
    this.unwatch(id);
    const watch = new FileWatch(
      handle,
      async (file) => {
        const build: UploadedFile = { name: file.name, size: file.size, bytes: async () => new Uint8Array(await file.arrayBuffer()) };
        const { message } = await this.reload(id, [build], 'watch');
        return message;
      },
      () => this.changed(),
    );
    this.watches.set(id, watch);
    watch.start();
    this.changed();
  }

  unwatch(id: string): void {
    const watch = this.watches.get(id);
    if (!watch) return;
    watch.stop();
    this.watches.delete(id);
    this.changed();
  }

  /** What the watch of plugin `id` last saw, or undefined when it has none. */
  watching(id: string): Readonly<WatchStatus> | undefined {
    return this.watches.get(id)?.status;
  }

  private changed(): void {
    this.dispatchEvent(new Event('change'));
  }
}
