// The starter project "New plugin…" downloads: a TypeScript plugin of the playground's world
// that builds with jco (QuickJS) and tests with `npm run plugin-test` and a scenario, as a zip.
import { strToU8, zipSync } from 'fflate';
import witText from '../../wit/plugin.wit?raw';
import { parseManifest } from './manifest.ts';
import { scenarioText, type Scenario } from './scenario.ts';

/** The output file its build writes and its plugin.toml names. */
export const STARTER_WASM = 'plugin.wasm';

const jcoVersion = '^1.35.0';
// `--cwd .`: jco 1.35 runs the QuickJS build from the entry's folder and then resolves the
// relative entry again from there (src/src/index.ts, "entry file not found"); naming the
// folder to run from keeps `src/index.ts` right.

const index = (name: string) => `// ${name}: a Plugin Playground plugin. It logs every event it receives with a running count.
// \`npm run build\` makes ${STARTER_WASM} (jco componentize, QuickJS engine); \`npm test\` plays scenario.json
// against it in headless Chromium. The host functions are in wit/plugin.wit (interface host).
import { logInfo } from 'playground:plugin/host@0.1.0';
import type { Event, PluginInfo } from 'playground:plugin/types@0.1.0';

let seen = 0;

export const guest = {
  metadata(): PluginInfo {
    return { name: '${name}', version: '0.1.0', author: '', description: 'Logs the events it receives.' };
  },

  onEvent(event: Event): void {
    seen += 1;
    logInfo(\`saw \${event.tag} #\${seen}\`);
  },
};
`;

const manifest = (name: string) => `[plugin]
name = "${name}"
version = "0.1.0"
description = "Logs the events it receives."

[build]
wasm = "${STARTER_WASM}"

# Deny by default: ask for what the plugin needs (http_hosts, write_tracks, config_access,
# read_users); the playground shows it in plain words before the plugin runs.
[permissions]
events = ["on_peer_connected", "on_track_added"]
`;

const scenario: Scenario = {
  steps: [
    { event: 'on_peer_connected', payload: { peer_id: 'peer-1', domain: null } },
    { event: 'on_track_added', payload: { track_id: 'trk-1', title: 'Take Five', artist: 'The Dave Brubeck Quartet', album: 'Time Out' } },
  ],
  expect: [
    { kind: 'log', message: '^saw peer-connected #1$' },
    { kind: 'log', message: '^saw track-added #2$' },
    { kind: 'event-result', event: '^on_track_added$', result: '^success$' },
  ],
};

const packageJson = (name: string) => ({
  name,
  version: '0.1.0',
  private: true,
  type: 'module',
  scripts: {
    build: `jco componentize src/index.ts --wit wit --world-name plugin --backend qjs --cwd . -o ${STARTER_WASM}`,
    // The runner is part of the playground's repository: PLUGIN_PLAYGROUND says where it is.
    test: `npm --prefix "\${PLUGIN_PLAYGROUND:-../plugin-playground}" run plugin-test -- ${STARTER_WASM} --manifest plugin.toml --scenario scenario.json`,
  },
  devDependencies: { '@bytecodealliance/jco': jcoVersion },
  // preview2-shim 0.26.1 breaks jco's file access on Node (componentize fails to read the source).
  overrides: { '@bytecodealliance/preview2-shim': '0.26.0' },
});

const readme = (name: string) => `# ${name}

A plugin for Plugin Playground: a WebAssembly component of the world \`plugin\` in
\`wit/plugin.wit\` (package \`playground:plugin@0.1.0\`), written in TypeScript.

    npm install
    npm run build        # jco componentize (QuickJS) -> ${STARTER_WASM}
    npm test             # plays scenario.json against it in headless Chromium

- **Run it**: drop \`${STARTER_WASM}\` and \`plugin.toml\` on the playground, review, enable, and
  fire events from the media server; every host call and log line is in the trace.
- **Reload on rebuild**: press *Watch file…* on its card and pick \`${STARTER_WASM}\`; each
  \`npm run build\` is loaded in place, config and approvals kept.
- **Record a scenario**: *● Record* on the card, use the media server, *■ Stop*: the events
  and what the plugin did with them download as a scenario. Replay it against the next build
  with *Replay file…*, or keep it as \`scenario.json\` for \`npm test\`.
- **Test in CI**: \`npm test\` runs the playground's \`npm run plugin-test\`; point
  \`PLUGIN_PLAYGROUND\` at a checkout of the playground (default \`../plugin-playground\`). It exits
  0 when every expectation holds, 1 when one does not, 2 when an input is unusable.

Ask for what the plugin needs in \`plugin.toml\` under \`[permissions]\`; a host function it has
no permission for returns an error saying which one.
`;

export type StarterResult = { ok: true; fileName: string; zip: Uint8Array } | { ok: false; problem: string };

/** The files of a starter project named `name`, by path. */
export function starterFiles(name: string): Record<string, string> {
  return {
    'plugin.toml': manifest(name),
    'src/index.ts': index(name),
    'wit/plugin.wit': witText,
    'package.json': `${JSON.stringify(packageJson(name), null, 2)}\n`,
    'scenario.json': scenarioText(scenario),
    'README.md': readme(name),
    '.gitignore': `node_modules/\n${STARTER_WASM}\n`,
  };
}

/** The starter project as a zip with one folder, or why the name cannot be a plugin's. */
export function starterZip(name: string): StarterResult {
  const files = starterFiles(name);
  const parsed = parseManifest(files['plugin.toml']!);
  const problem = parsed.ok ? undefined : (parsed.errors.find((issue) => issue.field === 'plugin.name')?.message ?? parsed.errors[0]?.message);
  if (problem) return { ok: false, problem };
  const entries = Object.fromEntries(Object.entries(files).map(([path, text]) => [`${name}/${path}`, strToU8(text)]));
  return { ok: true, fileName: `${name}.zip`, zip: zipSync(entries) };
}
