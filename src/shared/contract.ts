// What the playground offers a component and what it expects back: the
// `playground:plugin@0.1.0` world plus the WASI interfaces the plugin worker satisfies.
import { HOST_FUNCTIONS, type TranspileOptions } from './protocol.ts';

export const PLUGIN_PACKAGE = 'playground:plugin';
export const PLUGIN_PACKAGE_VERSION = '0.1.0';
export const HOST_INTERFACE = `${PLUGIN_PACKAGE}/host`;
export const GUEST_INTERFACE = `${PLUGIN_PACKAGE}/guest`;
export const GUEST_EXPORT = `${GUEST_INTERFACE}@${PLUGIN_PACKAGE_VERSION}`;

/** WASI interfaces the plugin worker provides (unversioned, as jco's instantiation keys them). */
export const WASI_INTERFACES = [
  'wasi:cli/environment',
  'wasi:cli/exit',
  'wasi:cli/stdin',
  'wasi:cli/stdout',
  'wasi:cli/stderr',
  'wasi:cli/terminal-input',
  'wasi:cli/terminal-output',
  'wasi:cli/terminal-stdin',
  'wasi:cli/terminal-stdout',
  'wasi:cli/terminal-stderr',
  'wasi:clocks/monotonic-clock',
  'wasi:clocks/wall-clock',
  'wasi:io/error',
  'wasi:io/poll',
  'wasi:io/streams',
  'wasi:random/random',
  'wasi:random/insecure',
  'wasi:random/insecure-seed',
  'wasi:filesystem/types',
  'wasi:filesystem/preopens',
  'wasi:http/types',
  'wasi:http/outgoing-handler',
] as const;

export type WasiInterface = (typeof WASI_INTERFACES)[number];

const SATISFIED: ReadonlySet<string> = new Set<string>([HOST_INTERFACE, ...WASI_INTERFACES]);

/** Transpile options for a plugin: every host import suspends, both guest exports promise. */
export const PLUGIN_TRANSPILE_OPTIONS: TranspileOptions = {
  jspiImports: HOST_FUNCTIONS.map((fn) => `${HOST_INTERFACE}#${fn}`),
  jspiExports: [`${GUEST_INTERFACE}#metadata`, `${GUEST_INTERFACE}#on-event`],
};

export interface Compatibility {
  ok: boolean;
  /** Imports the playground cannot satisfy. */
  unsatisfied: string[];
  /** Whether the component exports `playground:plugin/guest`. */
  exportsGuest: boolean;
  /** A full sentence for the UI when not ok. */
  message?: string;
}

/** Strips an `@x.y.z` version: jco reports import names without one. */
function unversioned(name: string): string {
  return name.replace(/@[^/@#]+$/, '');
}

export function checkCompatibility(imports: readonly string[], exports: readonly string[]): Compatibility {
  const unsatisfied = imports.filter((name) => !SATISFIED.has(unversioned(name)));
  const exportsGuest = exports.some((name) => unversioned(name) === GUEST_INTERFACE);
  const problems: string[] = [];
  if (unsatisfied.length > 0) {
    problems.push(`it imports what the playground cannot provide: ${unsatisfied.join(', ')}`);
  }
  if (!exportsGuest) {
    problems.push(`it does not export ${GUEST_EXPORT} (metadata and on-event)`);
  }
  const ok = problems.length === 0;
  return {
    ok,
    unsatisfied,
    exportsGuest,
    message: ok
      ? undefined
      : `This component is not a playground plugin: ${problems.join('; and ')}. ` +
        `Build it against wit/plugin.wit (world "plugin").`,
  };
}
