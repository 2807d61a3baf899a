import { readFileSync } from 'node:fs';
import { strFromU8, unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { parseManifest } from '../../src/shared/manifest.ts';
import { parseScenario } from '../../src/shared/scenario.ts';
import { starterZip } from '../../src/shared/starter-project.ts';

describe('the starter project', () => {
  it('is one folder with the manifest, the source, the WIT, build and test scripts, a scenario and a README', () => {
    const result = starterZip('my-plugin');
    if (!result.ok) throw new Error(result.problem);
    expect(result.fileName).toBe('my-plugin.zip');
    const files = Object.fromEntries(Object.entries(unzipSync(result.zip)).map(([path, bytes]) => [path, strFromU8(bytes)]));
    expect(Object.keys(files).sort()).toEqual(
      ['.gitignore', 'README.md', 'package.json', 'plugin.toml', 'scenario.json', 'src/index.ts', 'wit/plugin.wit'].map((path) => `my-plugin/${path}`),
    );
    expect(files['my-plugin/wit/plugin.wit']).toBe(readFileSync(new URL('../../wit/plugin.wit', import.meta.url), 'utf8'));

    const manifest = parseManifest(files['my-plugin/plugin.toml']!);
    expect(manifest.ok && manifest.manifest).toMatchObject({ plugin: { name: 'my-plugin' }, build: { wasm: 'plugin.wasm' } });
    expect(files['my-plugin/src/index.ts']).toContain("name: 'my-plugin'");

    const scripts = JSON.parse(files['my-plugin/package.json']!).scripts;
    expect(scripts.build).toBe('jco componentize src/index.ts --wit wit --world-name plugin --backend qjs --cwd . -o plugin.wasm');
    expect(scripts.test).toMatch(/run plugin-test -- plugin\.wasm --manifest plugin\.toml --scenario scenario\.json$/);
    expect(parseScenario(files['my-plugin/scenario.json']!).ok).toBe(true);
  });

  it('refuses a name a plugin cannot have, with the manifest rule', () => {
    const result = starterZip('My Plugin');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problem).toMatch(/plugin\.name/);
  });
});
