// Turns what the user dropped (a .wasm, optionally its plugin.toml and UI .html) into a checked
// plugin, ready to store: manifest validated, the file inspected by the runtime that takes it
// (a component transpiled and matched against a profile's world; a SoundTime module's imports
// and handlers checked), metadata read in a throwaway worker. Nothing is stored here.
import type { Profile } from '../shared/contract.ts';
import { MAX_TEXT_FILE_BYTES } from '../shared/limits.ts';
import { parseManifest, type Manifest, type ManifestResult } from '../shared/manifest.ts';
import { draftManifest } from '../shared/manifest-text.ts';
import type { PluginInfo } from '../shared/protocol.ts';
import { classifyWasm, kindProblem, sizeProblem } from '../shared/wasm-file.ts';
import { sha256Hex } from './compiler.ts';
import { InstallError } from './install-error.ts';
import type { Runtimes } from './runtimes/index.ts';
import type { RuntimePlugin } from './runtimes/types.ts';

export { InstallError };

export interface UploadedFile {
  name: string;
  size: number;
  bytes(): Promise<Uint8Array>;
}

export type InstallStep = 'checking' | 'transpiling' | 'reading-metadata' | 'saving';

export interface PreparedPlugin {
  id: string;
  profile: Profile;
  manifest: Manifest;
  manifestText: string;
  /** True when no plugin.toml came with the component and one was drafted from its metadata. */
  draft: boolean;
  warnings: string[];
  info: PluginInfo;
  fileName: string;
  bytes: Uint8Array;
  sha256: string;
  wit: string;
  imports: string[];
  exports: string[];
  ui?: { entry: string; html: string };
  transpileMs?: number;
  instrumentMs?: number;
}

export interface PrepareDeps {
  runtimes: Runtimes;
  maxWasmBytes: number;
  /** Calls metadata()/get-info() in a throwaway worker. */
  probe(plugin: RuntimePlugin): Promise<PluginInfo>;
  /** The stored manifest of an installed plugin, kept when an update comes without one. */
  installedManifest(id: string): { text: string; draft: boolean } | undefined;
}

const decoder = new TextDecoder();

function extension(name: string): string {
  return name.toLowerCase().match(/\.[a-z0-9]+$/)?.[0] ?? '';
}

function baseName(path: string): string {
  return path.split(/[\\/]/).pop() ?? path;
}

async function readText(file: UploadedFile): Promise<string> {
  if (file.size > MAX_TEXT_FILE_BYTES) {
    throw new InstallError(`"${file.name}" is larger than 1 MiB; a manifest or UI page should be much smaller.`);
  }
  return decoder.decode(await file.bytes());
}

export function manifestProblems(result: Extract<ManifestResult, { ok: false }>): string[] {
  return result.errors.map((issue) => (issue.line ? `line ${issue.line}: ${issue.message}` : issue.message));
}

function parseOrThrow(text: string, fileName: string): Extract<ManifestResult, { ok: true }> {
  const result = parseManifest(text, { appVersion: __APP_VERSION__ });
  if (!result.ok) {
    const problems = manifestProblems(result);
    throw new InstallError(`${fileName} is not valid (${problems.length} ${problems.length === 1 ? 'problem' : 'problems'}); fix it and upload again.`, {
      problems,
    });
  }
  return result;
}

export async function preparePlugin(files: readonly UploadedFile[], deps: PrepareDeps, onStep: (step: InstallStep) => void): Promise<PreparedPlugin> {
  onStep('checking');
  const wasm = files.filter((f) => extension(f.name) === '.wasm');
  const tomls = files.filter((f) => extension(f.name) === '.toml');
  const pages = files.filter((f) => ['.html', '.htm'].includes(extension(f.name)));
  const stray = files.find((f) => !wasm.includes(f) && !tomls.includes(f) && !pages.includes(f));
  if (stray) {
    throw new InstallError(`"${stray.name}" is not a plugin file. Drop one .wasm component, optionally with its plugin.toml and the .html of its UI.`);
  }
  if (wasm.length !== 1) {
    throw new InstallError(
      wasm.length === 0
        ? 'No .wasm component among the files. Drop the component together with its plugin.toml.'
        : `${wasm.length} .wasm files were dropped together; install one plugin at a time.`,
    );
  }
  if (tomls.length > 1) throw new InstallError('More than one plugin.toml was dropped; a plugin has one manifest.');
  const component = wasm[0]!;

  let uploaded: { text: string; result: Extract<ManifestResult, { ok: true }> } | undefined;
  let ui: PreparedPlugin['ui'];
  if (tomls[0]) {
    const text = await readText(tomls[0]);
    const result = parseOrThrow(text, tomls[0].name);
    const named = baseName(result.manifest.build.wasm);
    if (named !== component.name) {
      throw new InstallError(
        `${tomls[0].name} says [build] wasm = "${result.manifest.build.wasm}", but the component dropped is "${component.name}". Drop the file it names, or change build.wasm.`,
      );
    }
    const uiSpec = result.manifest.ui;
    if (uiSpec.enabled) {
      const page = pages.find((p) => p.name === baseName(uiSpec.entry));
      if (!page) {
        throw new InstallError(
          `${tomls[0].name} has [ui] entry = "${uiSpec.entry}", but no ${baseName(uiSpec.entry)} was dropped with it. Drop the UI page too.`,
        );
      }
      ui = { entry: uiSpec.entry, html: await readText(page) };
    }
    uploaded = { text, result };
  }

  const tooBig = sizeProblem(component.name, component.size, deps.maxWasmBytes);
  if (tooBig) throw new InstallError(tooBig);
  const bytes = await component.bytes();
  const kind = classifyWasm(bytes);
  const runtime = kind === 'component' || kind === 'core-module' ? await deps.runtimes.forFile(kind, bytes) : undefined;
  if (!runtime) throw new InstallError(kindProblem(component.name, kind) ?? `"${component.name}" is not a plugin this playground can run.`);
  const sha256 = await sha256Hex(bytes);
  const file = { name: component.name, sha256, bytes };

  onStep('transpiling');
  let inspected;
  try {
    inspected = await runtime.inspect(file);
  } catch (e) {
    throw e instanceof InstallError ? e : new InstallError(e instanceof Error ? e.message : String(e));
  }

  onStep('reading-metadata');
  let info: PluginInfo;
  try {
    info = await runtime.info(file, inspected, () => deps.probe({ id: component.name, profile: inspected.profile, sha256, bytes, exports: inspected.exports }));
  } catch (e) {
    throw new InstallError(`"${component.name}" is a plugin component, but reading its metadata failed: ${e instanceof Error ? e.message : String(e)}.`);
  }

  let manifestText: string;
  let result: Extract<ManifestResult, { ok: true }>;
  let draft = false;
  if (uploaded) {
    ({ text: manifestText, result } = uploaded);
  } else {
    const drafted = draftManifest(info, component.name, runtime.draftEvents(inspected));
    const id = parseOrThrow(drafted, 'The drafted manifest').manifest.plugin.name;
    // An update without a manifest keeps the one the user wrote or edited (and so what was
    // approved); a manifest still drafted is drafted again from the new build, whose version and
    // handlers may have changed (asking for more then waits for a review, as any update does).
    const kept = deps.installedManifest(id);
    manifestText = kept && !kept.draft ? kept.text : drafted;
    draft = !kept || kept.draft;
    result = parseOrThrow(manifestText, 'The stored manifest');
  }

  return {
    id: result.manifest.plugin.name,
    profile: inspected.profile,
    manifest: result.manifest,
    manifestText,
    draft,
    warnings: [...result.warnings.map((w) => w.message), ...runtime.warnings(result.manifest, inspected.exports)],
    info,
    fileName: component.name,
    bytes,
    sha256,
    wit: inspected.wit,
    imports: inspected.imports,
    exports: inspected.exports,
    ui,
    transpileMs: inspected.transpileMs,
    instrumentMs: inspected.instrumentMs,
  };
}
