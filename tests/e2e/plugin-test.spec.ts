// `npm run plugin-test`, run as CI runs it: a child process with its own server and headless
// Chromium. These tests read its output and exit code, nothing else.
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { root } from './fixtures.ts';

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function runner(...args: string[]): Promise<Run> {
  return new Promise((done) => {
    const child = spawn(process.execPath, ['scripts/plugin-test.mjs', ...args], { cwd: root, env: { ...process.env, INIT_CWD: root } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
}

const scenarioFile = (path: string, scenario: unknown) => {
  writeFileSync(path, typeof scenario === 'string' ? scenario : JSON.stringify(scenario));
  return path;
};

const helloScenario = {
  config: { greeting: 'hi' },
  steps: [
    { event: 'on_peer_connected', payload: { peer_id: 'p1', domain: null } },
    { event: 'on_track_added', payload: { track_id: 'trk-1', title: 'Take Five', artist: 'The Dave Brubeck Quartet' } },
  ],
  expect: [
    { kind: 'log', message: 'peer-connected .*#1 in all' },
    { kind: 'log', message: 'track-added .*#2 in all' },
    { kind: 'host-call', fn: 'set-config', args: ['events-seen', '2'] },
    { kind: 'event-result', event: 'on_track_added', result: 'success' },
  ],
};

test.describe('npm run plugin-test', () => {
  test.describe.configure({ timeout: 240_000 });

  test('a component with its manifest passes its scenario: one line per expectation, then the count, exit 0', async () => {
    const run = await runner(
      'public/samples/hello-events.wasm',
      '--manifest',
      'sample-plugins/hello-events/plugin.toml',
      '--scenario',
      scenarioFile(test.info().outputPath('hello.json'), helloScenario),
    );
    expect(run.stdout.trim().split('\n')).toEqual([
      'PASS expect[0] {"kind":"log","message":"peer-connected .*#1 in all"}',
      'PASS expect[1] {"kind":"log","message":"track-added .*#2 in all"}',
      'PASS expect[2] {"kind":"host-call","fn":"set-config","args":["events-seen","2"]}',
      'PASS expect[3] {"kind":"event-result","event":"on_track_added","result":"success"}',
      '4 passed, 0 failed',
    ]);
    expect(run.code).toBe(0);
  });

  test('a SoundTime module passes: its host_requests are host calls, and an added track is in the library', async () => {
    const run = await runner(
      'public/samples/soundtime-tagger.wasm',
      '--manifest',
      'sample-plugins/soundtime-tagger/plugin.toml',
      '--scenario',
      scenarioFile(test.info().outputPath('tagger.json'), {
        steps: [
          { event: 'on_track_added', payload: { track_id: 'trk-new', title: 'Moonlight Sonata', artist: 'Beethoven', album: null } },
          { event: 'on_track_played', payload: { track_id: 'trk-new', user_id: 'usr-1', timestamp: '2026-01-01T00:00:00Z' } },
        ],
        expect: [
          { kind: 'host-call', fn: '^set-track-metadata$', args: ['trk-new', [['genre', 'Classical']]], result: { tag: 'ok' } },
          { kind: 'host-call', fn: '^set-config$', args: ['plays:trk-new', '1'] },
        ],
      }),
    );
    expect(run.stdout).toContain('2 passed, 0 failed');
    expect(run.code).toBe(0);
  });

  test('an expectation that holds for no record fails, naming it and the closest records; exit 1', async () => {
    // Without a manifest the draft subscribes to every event and grants nothing: config is denied.
    const run = await runner(
      'public/samples/hello-events.wasm',
      '--scenario',
      scenarioFile(test.info().outputPath('failing.json'), {
        steps: [{ event: 'on_peer_connected', payload: { peer_id: 'p1' } }],
        expect: [
          { kind: 'event', event: 'on_peer_connected' },
          { kind: 'host-call', fn: 'get-config', result: { tag: 'ok' } },
        ],
      }),
    );
    const lines = run.stdout.trim().split('\n');
    expect(lines[0]).toBe('PASS expect[0] {"kind":"event","event":"on_peer_connected"}');
    expect(lines[1]).toMatch(
      /^FAIL expect\[1\] \{"kind":"host-call","fn":"get-config","result":\{"tag":"ok"\}\}: no trace record of hello-events matched; closest: /,
    );
    expect(lines[1]).toContain(
      '"fn":"get-config","args":["events-seen"],"result":{"tag":"err","val":"permission denied: get-config needs config_access = true',
    );
    expect(lines[2]).toBe('1 passed, 1 failed');
    expect(run.code).toBe(1);
  });

  test('input it cannot use is refused with the reason and exit 2, before any browser starts', async () => {
    const wasm = 'public/samples/hello-events.wasm';
    const cases: Array<[string[], RegExp]> = [
      [
        [wasm, '--scenario', scenarioFile(test.info().outputPath('broken.json'), '{"steps": [')],
        /is not a scenario this runner can play:\n {2}The scenario is not valid JSON/,
      ],
      [
        [wasm, '--scenario', scenarioFile(test.info().outputPath('event.json'), { steps: [{ event: 'on_track_add', payload: {} }], expect: [] })],
        /steps\[0\]\.event "on_track_add" is not an event; the events are on_track_added,/,
      ],
      [
        [wasm, '--scenario', scenarioFile(test.info().outputPath('key.json'), { steps: [], expect: [], expected: [] })],
        /"expected" is not a key of a scenario/,
      ],
      [[wasm, '--scenario', test.info().outputPath('missing.json')], /cannot read the scenario .*missing\.json: no such file\./],
      [
        ['public/samples/nothing-here.wasm', '--scenario', scenarioFile(test.info().outputPath('ok.json'), helloScenario)],
        /cannot read the plugin .*nothing-here\.wasm/,
      ],
      [[wasm], /--scenario is required\. usage: npm run plugin-test -- <plugin\.wasm>/],
    ];
    for (const [args, reason] of cases) {
      const run = await runner(...args);
      expect(run.stderr, args.join(' ')).toMatch(reason);
      expect(run.stdout).toBe('');
      expect(run.code).toBe(2);
    }
  });

  test('a manifest the playground refuses is input it cannot use: exit 2 with the playground’s reasons', async () => {
    const manifest = test.info().outputPath('plugin.toml');
    writeFileSync(manifest, '[plugin]\nname = "Hello Events"\nversion = "0.1.0"\ndescription = "d"\n\n[build]\nwasm = "hello-events.wasm"\n');
    const run = await runner(
      'public/samples/hello-events.wasm',
      '--manifest',
      manifest,
      '--scenario',
      scenarioFile(test.info().outputPath('s.json'), helloScenario),
    );
    expect(run.stderr).toMatch(/the playground refused the plugin: plugin\.toml is not valid \(1 problem\).*plugin\.name "Hello Events" must match/);
    expect(run.stdout).toBe('');
    expect(run.code).toBe(2);
  });
});
