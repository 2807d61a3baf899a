// What `npm run plugin-test` (scripts/plugin-test.mjs) decides without a browser: its command
// line, and the lines it prints for a scenario's checks. The script loads this module, which
// brings the scenario module with it, so the runner parses and checks exactly as the replayer.
import { MAX_CLOSEST_CHARS, PLUGIN_TEST_PHASE_MS } from './limits.ts';
import type { Check } from './scenario.ts';

export { checkScenario, parseScenario } from './scenario.ts';
export { PLUGIN_TEST_PHASE_MS };

export const USAGE = 'usage: npm run plugin-test -- <plugin.wasm> [--manifest plugin.toml] --scenario <scenario.json>';

export interface RunnerArgs {
  wasm: string;
  manifest?: string;
  scenario: string;
}

export type ParsedArgs = { ok: true; args: RunnerArgs } | { ok: false; problem: string } | { ok: 'help' };

/** Reads the command line; a problem says what is wrong, then the usage. */
export function parseArgs(argv: readonly string[]): ParsedArgs {
  const positional: string[] = [];
  const named: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--help' || arg === '-h') return { ok: 'help' };
    if (!arg.startsWith('--')) {
      positional.push(arg);
      continue;
    }
    const [flag, inline] = arg.split(/=(.*)/s, 2) as [string, string | undefined];
    if (flag !== '--manifest' && flag !== '--scenario') return { ok: false, problem: `${flag} is not an option of plugin-test. ${USAGE}` };
    const value = inline ?? argv[++i];
    if (value === undefined || value === '') return { ok: false, problem: `${flag} needs a file. ${USAGE}` };
    if (named[flag] !== undefined) return { ok: false, problem: `${flag} was given twice. ${USAGE}` };
    named[flag] = value;
  }
  if (positional.length !== 1) {
    return {
      ok: false,
      problem: `${positional.length === 0 ? 'No plugin .wasm was given' : `Give one plugin .wasm, not ${positional.length} files`}. ${USAGE}`,
    };
  }
  if (named['--scenario'] === undefined) return { ok: false, problem: `--scenario is required. ${USAGE}` };
  return { ok: true, args: { wasm: positional[0]!, manifest: named['--manifest'], scenario: named['--scenario'] } };
}

const clipped = (text: string) => (text.length <= MAX_CLOSEST_CHARS ? text : `${text.slice(0, MAX_CLOSEST_CHARS)}…`);

/** One line per expectation, then `N passed, N failed`. */
export function reportLines(checks: readonly Check[], pluginId: string): string[] {
  const lines = checks.map(({ index, expectation, matched, closest }) => {
    const name = `expect[${index}] ${JSON.stringify(expectation)}`;
    if (matched) return `PASS ${name}`;
    const near = closest.length === 0 ? 'it has no record of that kind' : `closest: ${closest.map((record) => clipped(JSON.stringify(record))).join(' | ')}`;
    return `FAIL ${name}: no trace record of ${pluginId} matched; ${near}`;
  });
  const passed = checks.filter((check) => check.matched).length;
  return [...lines, `${passed} passed, ${checks.length - passed} failed`];
}
