// What the playground offers a component and what it expects back. Two profiles:
//  - `playground`: the `playground:plugin@0.1.0` world (wit/plugin.wit);
//  - `hydrust`: the genuine `hydrust:protocol@0.1.1` `site-provider` world.
// Both get the WASI interfaces the plugin worker satisfies. The check reads the component's
// own WIT (with versions) before any worker starts.
import { HOST_FUNCTIONS, type Profile, type TranspileOptions } from './protocol.ts';

export type { Profile };

/** The profiles that are component worlds (a SoundTime plugin is a core module). */
export type ComponentProfile = Exclude<Profile, 'soundtime'>;

export const PLUGIN_PACKAGE = 'playground:plugin';
export const PLUGIN_PACKAGE_VERSION = '0.1.0';
export const HOST_INTERFACE = `${PLUGIN_PACKAGE}/host`;
export const GUEST_INTERFACE = `${PLUGIN_PACKAGE}/guest`;
export const GUEST_EXPORT = `${GUEST_INTERFACE}@${PLUGIN_PACKAGE_VERSION}`;
export const HYDRUST_PACKAGE = 'hydrust:protocol';
export const HYDRUST_VERSION = '0.1.1';

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

/**
 * Transpile options: every host import suspends and both guest functions promise (JSPI).
 * Names a component does not have are ignored by jco, so one set serves both profiles;
 * Hydrust's imports and exports are synchronous.
 */
export const PLUGIN_TRANSPILE_OPTIONS: TranspileOptions = {
  jspiImports: HOST_FUNCTIONS.map((fn) => `${HOST_INTERFACE}#${fn}`),
  jspiExports: [`${GUEST_INTERFACE}#metadata`, `${GUEST_INTERFACE}#on-event`],
  // The host interface's imports are lowered by the worker itself (src/worker/host-abi.ts).
  importBindings: 'hybrid',
};

export interface WorldItem {
  direction: 'import' | 'export';
  /** `wasi:cli/stdout@0.2.12` or a plain function name such as `publish`. */
  name: string;
  kind: 'interface' | 'function';
  /** For interfaces: `wasi:cli/stdout` and `0.2.12`. */
  id?: string;
  version?: string;
}

const ITEM = /^(import|export)\s+(%?[a-z][\w-]*)(?::([\w-]+)\/([\w-]+)(?:@([\w.+-]+))?)?\s*(:\s*func\b)?/;

/** The imports and exports of the first world in a component's WIT text. */
export function worldItems(wit: string): WorldItem[] {
  const items: WorldItem[] = [];
  let inWorld = false;
  for (const raw of wit.split('\n')) {
    const line = raw.trim();
    if (!inWorld) {
      inWorld = /^world\s+[\w-]+\s*\{/.test(line);
      continue;
    }
    if (line === '}') break;
    const match = ITEM.exec(line);
    if (!match) continue;
    const [, direction, first, pkgName, iface, version, isFunc] = match;
    if (pkgName && iface) {
      const id = `${first}:${pkgName}/${iface}`;
      items.push({ direction: direction as WorldItem['direction'], name: version ? `${id}@${version}` : id, kind: 'interface', id, version });
    } else if (isFunc) {
      items.push({ direction: direction as WorldItem['direction'], name: first!.replace(/^%/, ''), kind: 'function' });
    }
  }
  return items;
}

function majorMinor(version: string | undefined): string {
  return version?.split('.').slice(0, 2).join('.') ?? '';
}

const PROVIDED: Record<ComponentProfile, { interfaces: Record<string, string>; functions: string[] }> = {
  playground: {
    interfaces: { [HOST_INTERFACE]: PLUGIN_PACKAGE_VERSION, [`${PLUGIN_PACKAGE}/types`]: PLUGIN_PACKAGE_VERSION },
    functions: [],
  },
  hydrust: {
    interfaces: {
      [`${HYDRUST_PACKAGE}/types`]: HYDRUST_VERSION,
      [`${HYDRUST_PACKAGE}/events`]: HYDRUST_VERSION,
      [`${HYDRUST_PACKAGE}/metadata`]: HYDRUST_VERSION,
    },
    functions: ['publish'],
  },
};

const REQUIRED_EXPORTS: Record<ComponentProfile, Array<{ interface?: string; function?: string; label: string }>> = {
  playground: [{ interface: GUEST_INTERFACE, label: `${GUEST_EXPORT} (metadata and on-event)` }],
  hydrust: [
    { function: 'get-info', label: 'get-info: func() -> plugin-info' },
    { function: 'on-event', label: 'on-event: func(ev: event)' },
  ],
};

export interface Compatibility {
  ok: boolean;
  profile?: ComponentProfile;
  /** Imports the playground cannot satisfy, each with why when it is a version. */
  unsatisfied: string[];
  /** Exports the profile needs that the component lacks. */
  missing: string[];
  /** A full sentence for the UI when not ok. */
  message?: string;
}

function detectProfile(items: WorldItem[]): ComponentProfile | undefined {
  if (items.some((item) => item.id?.startsWith(`${PLUGIN_PACKAGE}/`))) return 'playground';
  if (items.some((item) => item.id?.startsWith(`${HYDRUST_PACKAGE}/`))) return 'hydrust';
  if (items.some((item) => item.direction === 'export' && item.name === 'get-info')) return 'hydrust';
  return undefined;
}

/** Compares a component's world (its WIT text) with what the playground provides and needs. */
export function checkCompatibility(wit: string): Compatibility {
  const items = worldItems(wit);
  const profile = detectProfile(items);
  const provided = PROVIDED[profile ?? 'playground'];
  const unsatisfied: string[] = [];
  for (const item of items.filter((i) => i.direction === 'import')) {
    if (item.kind === 'function') {
      if (!provided.functions.includes(item.name)) unsatisfied.push(`${item.name} (a function)`);
      continue;
    }
    const id = item.id!;
    const wanted = (WASI_INTERFACES as readonly string[]).includes(id) ? '0.2.0' : provided.interfaces[id];
    if (!wanted) unsatisfied.push(item.name);
    else if (item.version && majorMinor(item.version) !== majorMinor(wanted)) {
      unsatisfied.push(`${item.name} (the playground provides ${id}@${wanted.replace(/\.0$/, '.x')})`);
    }
  }
  const missing = profile
    ? REQUIRED_EXPORTS[profile]
        .filter(
          (need) =>
            !items.some(
              (item) =>
                item.direction === 'export' &&
                (need.interface
                  ? item.id === need.interface && majorMinor(item.version) === majorMinor(PLUGIN_PACKAGE_VERSION)
                  : item.kind === 'function' && item.name === need.function),
            ),
        )
        .map((need) => need.label)
    : [`${GUEST_EXPORT} (metadata and on-event), or Hydrust's get-info and on-event`];

  const problems: string[] = [];
  if (unsatisfied.length > 0) problems.push(`it imports what the playground cannot provide: ${unsatisfied.join(', ')}`);
  if (missing.length > 0) problems.push(`it does not export ${missing.join(', ')}`);
  const ok = problems.length === 0;
  return {
    ok,
    profile,
    unsatisfied,
    missing,
    message: ok
      ? undefined
      : `This component is not a playground plugin: ${problems.join('; and ')}. ` +
        `Build it against wit/plugin.wit (world "plugin") or Hydrust's site-provider world.`,
  };
}
