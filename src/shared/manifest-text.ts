// Writing plugin.toml (a draft for a component uploaded without one, or from the normalised
// form) and describing permissions in plain words for the review dialog.
import { stringify } from 'smol-toml';
import { EVENT_LABELS, EVENT_NAMES, type EventName } from './events.ts';
import { isPlainSemver, type Manifest, type UiSlot } from './manifest.ts';

const NOTHING = 'Nothing: this plugin asks for no permissions.';

export interface PluginInfo {
  name: string;
  version: string;
  description: string;
  author: string;
}

/**
 * TOML for a plugin uploaded without a manifest: metadata() made valid, subscribed to `events`
 * (an event carries no authority, so a bare build reacts at once) and granted nothing else.
 */
export function draftManifest(info: PluginInfo, wasmFileName: string, events: readonly EventName[] = []): string {
  const description = info.description.trim() === '' ? 'No description.' : [...info.description].slice(0, 500).join('');
  const author = [...info.author.trim()].slice(0, 255).join('');
  const base = wasmFileName.split(/[\\/]/).pop()?.replace(/:/g, '-') || 'plugin';
  const draft: Manifest = {
    plugin: {
      name: slugify(info.name),
      version: isPlainSemver(info.version) ? info.version : '0.0.0',
      description,
      ...(author ? { author } : {}),
    },
    build: { wasm: base.endsWith('.wasm') ? base : `${base}.wasm` },
    permissions: { httpHosts: [], events: [...events], writeTracks: false, configAccess: false, readUsers: false },
    ui: { enabled: false },
  };
  const header = '# Draft written by the playground: this plugin was uploaded without a plugin.toml.\n';
  const comment =
    events.length > 0
      ? 'It receives the events below (they grant nothing); add the hosts and access this plugin needs.'
      : 'No permissions are granted yet: add the hosts, events and access this plugin needs.';
  return header + writeToml(draft, comment);
}

function slugify(name: string): string {
  let slug = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^-|-$/g, '');
  if (slug === '') slug = 'plugin';
  if (!/^[a-z]/.test(slug)) slug = `p-${slug}`;
  if (slug.length < 2) slug = `${slug}-plugin`;
  return slug.slice(0, 64).replace(/-$/, '');
}

/** The normalised manifest written back as plugin.toml; parses to an equal Manifest. */
export function toToml(manifest: Manifest): string {
  return writeToml(manifest);
}

function writeToml(m: Manifest, permissionsComment?: string): string {
  const { minPlaygroundVersion, ...plugin } = m.plugin;
  const { httpHosts, events, writeTracks, configAccess, readUsers } = m.permissions;
  return `${[
    section('plugin', { ...plugin, min_playground_version: minPlaygroundVersion }),
    section('build', m.build),
    section(
      'permissions',
      { http_hosts: httpHosts, events, write_tracks: writeTracks, config_access: configAccess, read_users: readUsers },
      permissionsComment,
    ),
    section('ui', m.ui),
  ].join('\n\n')}\n`;
}

function section(name: string, entries: Record<string, unknown>, comment?: string): string {
  const body = Object.entries(entries)
    .filter(([, value]) => value !== undefined)
    .map(([key, value]) => `${key} = ${stringify({ value }).slice('value = '.length).trimEnd()}`);
  return [...(comment ? [`# ${comment}`] : []), `[${name}]`, ...body].join('\n');
}

/** Plain-English lines for the permission review dialog. */
export function describePermissions(p: Manifest['permissions']): string[] {
  const lines = [
    ...p.httpHosts.map(describeHost),
    ...(p.events.length > 0 ? [describeEvents(p.events)] : []),
    ...(p.writeTracks ? ['Change track metadata (lyrics, genre, tags)'] : []),
    ...(p.configAccess ? ['Read and write its own settings'] : []),
    ...(p.readUsers ? ['Read user accounts (no passwords)'] : []),
  ];
  return lines.length > 0 ? lines : [NOTHING];
}

/** Where each slot is, and what its panel is told (what pp-media-server and pp-settings post). */
const SLOTS: Record<UiSlot, { where: string; told: string }> = {
  'track-detail-sidebar': { where: 'beside the selected track', told: 'the selected track' },
  'player-extra-controls': { where: 'in the player bar', told: 'the playing track' },
  'library-toolbar': { where: 'in the library toolbar', told: 'how many tracks the library has' },
  'settings-panel': { where: 'in Settings', told: 'the current limits' },
};

/** Plain-English lines for the review dialog about a plugin's UI panel; empty without one. */
export function describePanel(ui: Manifest['ui']): string[] {
  if (!ui.enabled) return [];
  const { where, told } = SLOTS[ui.slot];
  return [
    `A scripted page shown ${where}: it is told ${told} and can ask the plugin to act`,
    "The panel cannot load or send anything over the network, read this app's data, or change the page around it",
    // Chromium's CSP has no directive for WebRTC (README, Security model).
    'It could still send what it is told out through WebRTC, which browsers do not let a page switch off',
  ];
}

function describeEvents(events: readonly EventName[]): string {
  const labels = events.map((e) => EVENT_LABELS[e].toLowerCase()).join(', ');
  return EVENT_NAMES.every((name) => events.includes(name)) ? `Receive every event (${labels})` : `Receive events: ${labels}`;
}

/** What a draft manifest lets the plugin do, for its card. */
export function draftSummary(p: Manifest['permissions']): string {
  const receives =
    p.events.length === 0
      ? 'no events'
      : EVENT_NAMES.every((name) => p.events.includes(name))
        ? 'every event'
        : describeEvents(p.events).replace(/^Receive events: /, '');
  return `Runs on a draft manifest: it receives ${receives} and is granted nothing else (no hosts, track writes, config or user accounts). Edit it in the Manifest tab to ask for more.`;
}

function describeHost(host: string): string {
  if (host === '*') return 'Make HTTP requests to ANY host on the internet';
  if (host.startsWith('*.')) return `Make HTTP requests to any subdomain of ${host.slice(2)}`;
  return `Make HTTP requests to ${host}`;
}

/**
 * What `requested` asks for beyond `approved`, as describePermissions lines; empty when an
 * update needs no new review. Hosts compare exactly: a narrower host under an approved
 * wildcard still counts as new, which errs towards asking again.
 */
export function permissionsExceed(approved: Manifest['permissions'], requested: Manifest['permissions']): string[] {
  const extra: Manifest['permissions'] = {
    httpHosts: requested.httpHosts.filter((host) => !approved.httpHosts.includes(host)),
    events: requested.events.filter((event) => !approved.events.includes(event)),
    writeTracks: requested.writeTracks && !approved.writeTracks,
    configAccess: requested.configAccess && !approved.configAccess,
    readUsers: requested.readUsers && !approved.readUsers,
  };
  const lines = describePermissions(extra);
  return lines[0] === NOTHING ? [] : lines;
}
