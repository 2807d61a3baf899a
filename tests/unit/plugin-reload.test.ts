import { describe, expect, it } from 'vitest';
import { sha256Hex } from '../../src/host/compiler.ts';
import { PluginReloader } from '../../src/host/plugin-reload.ts';
import { Trace } from '../../src/host/trace.ts';

const file = (name: string, text: string) => {
  const bytes = new TextEncoder().encode(text);
  return { name, size: bytes.length, bytes: async () => bytes };
};

/** A plugin manager with one installed plugin, recording what it was asked to install. */
async function setUp(notice?: string) {
  const installed = {
    id: 'tagger',
    fileName: 'tagger.wasm',
    sha256: await sha256Hex(new TextEncoder().encode('v1')),
    manifest: { plugin: { version: '0.1.0' } },
    enabled: true,
  };
  const calls: Array<{ names: string[]; expectId?: string }> = [];
  const plugins = Object.assign(new EventTarget(), {
    get: (id: string) => (id === 'tagger' ? { record: installed } : undefined),
    async install(files: Array<{ name: string; bytes(): Promise<Uint8Array> }>, _source: string, _onStep: unknown, expectId?: string) {
      calls.push({ names: files.map((f) => f.name), expectId });
      const sha256 = await sha256Hex(await files[0]!.bytes());
      return { record: { ...installed, sha256, manifest: { plugin: { version: '0.2.0' } }, info: { version: '0.1.1' } }, notice };
    },
  });
  const trace = new Trace();
  return { reloader: new PluginReloader(plugins as never, trace), trace, calls, installed };
}

describe('PluginReloader', () => {
  it('updates the plugin in place from a new build and traces the old and new SHA-256', async () => {
    const { reloader, trace, calls, installed } = await setUp();
    const outcome = await reloader.reload('tagger', [file('out/build.wasm', 'v2')], 'watch');
    const newSha = await sha256Hex(new TextEncoder().encode('v2'));
    expect(outcome).toMatchObject({ reloaded: true, message: `Reloaded the new build (sha256 ${newSha.slice(0, 12)}…); it restarted with it.` });
    // A bare module is named after its file, so the installed name is kept for the update.
    expect(calls).toEqual([{ names: ['tagger.wasm'], expectId: 'tagger' }]);
    const [record] = trace.records();
    expect(record).toMatchObject({ kind: 'lifecycle', pluginId: 'tagger', step: 'reloaded' });
    expect(record?.kind === 'lifecycle' && record.detail).toBe(
      `new build from the watched file (out/build.wasm): sha256 ${installed.sha256} → ${newSha}; version 0.1.0 → 0.2.0 (the component says 0.1.1); config kept, approvals kept`,
    );
  });

  it('leaves the plugin alone when the build is the one installed', async () => {
    const { reloader, trace, calls } = await setUp();
    const outcome = await reloader.reload('tagger', [file('tagger.wasm', 'v1')], 'drop');
    expect(outcome).toMatchObject({ reloaded: false, message: 'tagger.wasm is the build already installed (same SHA-256); nothing to reload.' });
    expect(calls).toEqual([]);
    expect(trace.records()).toEqual([]);
  });

  it('passes a manifest through with the file names as dropped, and says when the build waits for a review', async () => {
    const { reloader, trace, calls } = await setUp('tagger 0.2.0 asks for more than you approved; it is disabled until you review and enable it again.');
    const outcome = await reloader.reload('tagger', [file('v2.wasm', 'v1'), file('plugin.toml', '[plugin]')], 'drop');
    expect(calls).toEqual([{ names: ['v2.wasm', 'plugin.toml'], expectId: 'tagger' }]);
    expect(outcome.message).toMatch(/asks for more than you approved/);
    expect(trace.records()[0]).toMatchObject({ step: 'reloaded', detail: expect.stringMatching(/it asks for more than you approved and waits for a review$/) });
  });

  it('refuses a plugin that is not installed', async () => {
    const { reloader } = await setUp();
    await expect(reloader.reload('gone', [file('gone.wasm', 'x')], 'update')).rejects.toThrow('gone is no longer installed');
  });
});
