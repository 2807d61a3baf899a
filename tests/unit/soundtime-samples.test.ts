// The SoundTime samples (AssemblyScript, Extism), built from source here and run with the real
// @extism/extism SDK in Node against a fake SoundTime host: synchronous `extism:host/user`
// functions implementing the playground's ABI (every parameter an Extism block offset;
// strings raw UTF-8, maps and records JSON, u32 little-endian or decimal text) that record
// every call. The browser runtime answers the same imports; these tests pin what the plugins
// ask of it.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import createPlugin, { type CallContext, type Plugin, type PluginConfig } from '@extism/extism';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildAssemblyScript } from '../../scripts/assemblyscript.mjs';
import { capMemory } from '../../src/shared/wasm-memory.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const SAMPLES = ['soundtime-lyrics', 'soundtime-scrobbler', 'soundtime-webhook', 'soundtime-tagger'];
const TEST_PLUGINS = [
  'soundtime-missing-import',
  'soundtime-no-handlers',
  'soundtime-trapper',
  'soundtime-bad-output',
  'soundtime-request-flood',
  'soundtime-memory-hog',
];

interface TrackInfo {
  id: string;
  title: string;
  artist_name: string;
  album_title: string | null;
  duration_secs: number;
  genre: string | null;
  year: number | null;
  format: string;
  bitrate: number | null;
  sample_rate: number | null;
  play_count: number;
}

interface HttpResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** One host function call as the plugin made it, arguments decoded. */
interface HostCall {
  fn: string;
  args: unknown[];
}

type HostFunction = (cx: CallContext, ...offsets: bigint[]) => bigint | void;

/** SoundTime's side of the ABI, in memory, recording every call. */
class FakeSoundTime {
  calls: HostCall[] = [];
  config: Record<string, string> = {};
  tracks: Record<string, TrackInfo> = {};
  users = [{ id: 'u1', username: 'ada', display_name: 'Ada', role: 'admin', created_at: '2024-01-01T00:00:00Z' }];
  instance = { name: 'SoundTime', version: '0.1.0', domain: 'music.example.org', track_count: 1, user_count: 1 };
  now = '2025-01-02T03:04:05Z';
  /** The network: every http_get / http_post is answered by this. */
  respond: (method: 'GET' | 'POST', url: string, body: string | null, headers: Record<string, string>) => HttpResponse = () => ({
    status: 404,
    headers: {},
    body: '',
  });

  /** Calls to `fn`, arguments only. */
  argsOf(fn: string): unknown[][] {
    return this.calls.filter((c) => c.fn === fn).map((c) => c.args);
  }

  functions(): Record<string, HostFunction> {
    const text = (cx: CallContext, offset: bigint): string => {
      const block = cx.read(offset);
      if (block === null) throw new Error('expected a memory block, got offset 0');
      return block.text();
    };
    const json = (cx: CallContext, offset: bigint): unknown => JSON.parse(text(cx, offset));
    const u32 = (cx: CallContext, offset: bigint): number => {
      const bytes = cx.read(offset)?.bytes() ?? new Uint8Array();
      const decimal = /^[0-9]+$/.test(new TextDecoder().decode(bytes));
      if (bytes.length === 4 && !decimal) return new DataView(bytes.buffer, bytes.byteOffset, 4).getUint32(0, true);
      if (decimal) return Number(new TextDecoder().decode(bytes));
      throw new Error(`expected a u32 block, got ${bytes.length} bytes`);
    };
    const record = (fn: string, ...args: unknown[]) => this.calls.push({ fn, args });
    const out = (cx: CallContext, value: unknown): bigint => cx.store(typeof value === 'string' ? value : JSON.stringify(value));
    const http = (method: 'GET' | 'POST', url: string, body: string | null, headers: unknown): HttpResponse =>
      this.respond(method, url, body, headers as Record<string, string>);
    return {
      get_track: (cx, id) => {
        const trackId = text(cx, id);
        record('get_track', trackId);
        const track = this.tracks[trackId];
        if (!track) throw new Error(`get_track: no track ${trackId}`);
        return out(cx, track);
      },
      search_tracks: (cx, query, page, perPage) => {
        const args = [text(cx, query), u32(cx, page), u32(cx, perPage)] as const;
        record('search_tracks', ...args);
        const tracks = Object.values(this.tracks).filter((t) => t.title.toLowerCase().includes(args[0].toLowerCase()));
        return out(cx, { tracks, total: tracks.length, page: args[1], per_page: args[2], total_pages: 1 });
      },
      set_track_lyrics: (cx, id, lyrics) => void record('set_track_lyrics', text(cx, id), text(cx, lyrics)),
      set_track_genre: (cx, id, genre) => void record('set_track_genre', text(cx, id), text(cx, genre)),
      set_track_metadata: (cx, id, fields) => void record('set_track_metadata', text(cx, id), json(cx, fields)),
      list_users: (cx, page, perPage) => {
        record('list_users', u32(cx, page), u32(cx, perPage));
        return out(cx, this.users);
      },
      get_user: (cx, id) => {
        const userId = text(cx, id);
        record('get_user', userId);
        return out(
          cx,
          this.users.find((u) => u.id === userId),
        );
      },
      http_get: (cx, url, headers) => {
        const args = [text(cx, url), json(cx, headers)] as const;
        record('http_get', ...args);
        return out(cx, http('GET', args[0], null, args[1]));
      },
      http_post: (cx, url, body, headers) => {
        const args = [text(cx, url), text(cx, body), json(cx, headers)] as const;
        record('http_post', ...args);
        return out(cx, http('POST', args[0], args[1], args[2]));
      },
      get_config: (cx, key) => {
        const k = text(cx, key);
        record('get_config', k);
        return k in this.config ? out(cx, this.config[k]) : 0n;
      },
      set_config: (cx, key, value) => {
        const [k, v] = [text(cx, key), text(cx, value)];
        record('set_config', k, v);
        this.config[k] = v;
      },
      delete_config: (cx, key) => {
        const k = text(cx, key);
        record('delete_config', k);
        delete this.config[k];
      },
      log_info: (cx, message) => void record('log_info', text(cx, message)),
      log_warn: (cx, message) => void record('log_warn', text(cx, message)),
      log_error: (cx, message) => void record('log_error', text(cx, message)),
      get_instance_info: (cx) => {
        record('get_instance_info');
        return out(cx, this.instance);
      },
      get_current_timestamp: (cx) => {
        record('get_current_timestamp');
        return out(cx, this.now);
      },
      emit_event: (cx, name, payload) => void record('emit_event', text(cx, name), json(cx, payload)),
    };
  }
}

const built: Record<string, Uint8Array> = {};
let outDir = '';

beforeAll(async () => {
  outDir = mkdtempSync(join(tmpdir(), 'soundtime-samples-'));
  const folders = [...SAMPLES.map((name) => ['sample-plugins', name]), ...TEST_PLUGINS.map((name) => ['tests/plugins', name])];
  for (const [parent, name] of folders) {
    const dir = join(root, parent, name);
    const spec = JSON.parse(readFileSync(join(dir, 'sample.json'), 'utf8')) as { engine: string; entry?: string };
    expect(spec.engine).toBe('assemblyscript');
    const wasm = join(outDir, `${name}.wasm`);
    await buildAssemblyScript(dir, spec.entry ?? 'src/index.ts', wasm);
    built[name] = readFileSync(wasm);
  }
}, 240_000);

afterAll(() => {
  if (outDir) rmSync(outDir, { recursive: true, force: true });
});

interface StartOptions {
  config?: PluginConfig;
  /** Other bytes than the fresh build (a memory-capped copy, say). */
  wasm?: Uint8Array;
  /** Receives Extism's kernel log (log_* in extism:host/env); nothing is logged without it. */
  logger?: Console;
}

/** A started plugin with the fake host's functions (or none, as the real backend). */
async function start(name: string, host: FakeSoundTime | null, { config = {}, wasm = built[name], logger }: StartOptions = {}): Promise<Plugin> {
  return createPlugin(
    { wasm: [{ data: wasm }], config },
    { useWasi: false, functions: host ? { 'extism:host/user': host.functions() } : {}, logger, logLevel: logger ? 'info' : 'silent' },
  );
}

const track = (over: Partial<TrackInfo> = {}): TrackInfo => ({
  id: 't1',
  title: 'Back in Black',
  artist_name: 'AC/DC',
  album_title: 'Back in Black',
  duration_secs: 255,
  genre: null,
  year: 1980,
  format: 'flac',
  bitrate: 1000,
  sample_rate: 44100,
  play_count: 3,
  ...over,
});

describe('soundtime-lyrics', () => {
  const added = (title: string, artist: string) => JSON.stringify({ track_id: 't1', title, artist, album: null });

  it('asks lyrics.ovh with the artist and title encoded as lyrics-fetcher does, and stores the lyrics it gets', async () => {
    const host = new FakeSoundTime();
    host.respond = () => ({ status: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ lyrics: 'Back in black\nI hit the sack' }) });
    const plugin = await start('soundtime-lyrics', host);
    await plugin.call('handle_on_track_added', added('Back in Black', 'AC/DC'));
    expect(host.calls).toEqual([
      { fn: 'http_get', args: ['https://api.lyrics.ovh/v1/AC%2FDC/Back%20in%20Black', {}] },
      { fn: 'set_track_lyrics', args: ['t1', 'Back in black\nI hit the sack'] },
      { fn: 'log_info', args: ['Lyrics found for: AC/DC - Back in Black'] },
    ]);
  });

  it('encodes non-ASCII and reserved characters exactly like encodeURIComponent', async () => {
    const host = new FakeSoundTime();
    host.respond = () => ({ status: 200, headers: {}, body: '{"lyrics":"Við spilum endalaust 🎵"}' });
    const [title, artist] = ["What's Up? (Live) #1 🎵", 'Sigur Rós & Björk +50%'];
    const plugin = await start('soundtime-lyrics', host);
    await plugin.call('handle_on_track_added', added(title, artist));
    expect(host.argsOf('http_get')).toEqual([[`https://api.lyrics.ovh/v1/${encodeURIComponent(artist)}/${encodeURIComponent(title)}`, {}]]);
    expect(host.argsOf('set_track_lyrics')).toEqual([['t1', 'Við spilum endalaust 🎵']]);
    expect(host.argsOf('log_info')).toEqual([[`Lyrics found for: ${artist} - ${title}`]]);
  });

  it('sets no lyrics when lyrics.ovh has none or answers without a lyrics field', async () => {
    for (const response of [
      { status: 404, headers: {}, body: '{"error":"No lyrics found"}' },
      { status: 200, headers: {}, body: '{"error":"nothing"}' },
      { status: 200, headers: {}, body: '<html>not json</html>' },
    ]) {
      const host = new FakeSoundTime();
      host.respond = () => response;
      const plugin = await start('soundtime-lyrics', host);
      await plugin.call('handle_on_track_added', added('Unknown', 'Nobody'));
      expect(host.argsOf('set_track_lyrics')).toEqual([]);
    }
  });

  it('fails the call with the host message when http_get is denied', async () => {
    const host = new FakeSoundTime();
    host.respond = () => {
      throw new Error('permission denied: http_hosts does not list api.lyrics.ovh');
    };
    const plugin = await start('soundtime-lyrics', host);
    await expect(plugin.call('handle_on_track_added', added('Back in Black', 'AC/DC'))).rejects.toThrow('permission denied: http_hosts');
    expect(host.argsOf('set_track_lyrics')).toEqual([]);
  });

  it('fails the call, saying why, for a payload that is not JSON', async () => {
    const plugin = await start('soundtime-lyrics', new FakeSoundTime());
    await expect(plugin.call('handle_on_track_added', 'not json')).rejects.toThrow('on_track_added: the payload is not JSON');
  });
});

describe('soundtime-scrobbler', () => {
  const played = (timestamp = '2024-05-01T12:34:56Z') => JSON.stringify({ track_id: 't1', user_id: 'u1', timestamp });

  it('without an api_token, warns naming it and makes no request', async () => {
    const host = new FakeSoundTime();
    const plugin = await start('soundtime-scrobbler', host);
    await plugin.call('handle_on_track_played', played());
    expect(host.calls).toEqual([
      { fn: 'get_config', args: ['api_token'] },
      { fn: 'log_warn', args: [expect.stringContaining('api_token')] },
    ]);
  });

  it('with an api_token, posts the listen the way listenbrainz-scrobbler does', async () => {
    const host = new FakeSoundTime();
    host.config.api_token = 'secret-token';
    host.tracks.t1 = track();
    host.respond = () => ({ status: 200, headers: {}, body: '{"status":"ok"}' });
    const plugin = await start('soundtime-scrobbler', host);
    await plugin.call('handle_on_track_played', played());

    expect(host.argsOf('get_track')).toEqual([['t1']]);
    const posts = host.argsOf('http_post');
    expect(posts).toHaveLength(1);
    const [url, body, headers] = posts[0] as [string, string, Record<string, string>];
    expect(url).toBe('https://api.listenbrainz.org/1/submit-listens');
    expect(JSON.parse(body)).toEqual({
      listen_type: 'single',
      payload: [{ listened_at: 1714566896, track_metadata: { artist_name: 'AC/DC', track_name: 'Back in Black', release_name: 'Back in Black' } }],
    });
    expect(headers).toEqual({ authorization: 'Token secret-token', 'content-type': 'application/json' });
    expect(host.argsOf('log_info')).toEqual([['scrobbled "Back in Black": HTTP 200']]);
  });

  it('reads listened_at from any RFC 3339 timestamp as Date.parse does, and leaves out a missing album', async () => {
    const host = new FakeSoundTime();
    host.config.api_token = 'tok';
    host.tracks.t1 = track({ title: 'Jóga', artist_name: 'Björk', album_title: null });
    host.respond = () => ({ status: 200, headers: {}, body: '' });
    const plugin = await start('soundtime-scrobbler', host);
    for (const ts of ['2024-05-01T14:34:56.789+02:00', '1999-12-31T23:59:59-05:30', '2024-02-29T00:00:00.5Z']) {
      await plugin.call('handle_on_track_played', played(ts));
    }
    const bodies = host.argsOf('http_post').map(([, body]) => JSON.parse(body as string));
    expect(bodies.map((b) => b.payload[0].listened_at)).toEqual(
      ['2024-05-01T14:34:56.789+02:00', '1999-12-31T23:59:59-05:30', '2024-02-29T00:00:00.5Z'].map((ts) => Math.floor(Date.parse(ts) / 1000)),
    );
    expect(bodies[0].payload[0].track_metadata).toEqual({ artist_name: 'Björk', track_name: 'Jóga' });
  });

  it('fails the call, naming the timestamp, when it is not RFC 3339', async () => {
    const host = new FakeSoundTime();
    host.config.api_token = 'tok';
    const plugin = await start('soundtime-scrobbler', host);
    await expect(plugin.call('handle_on_track_played', played('yesterday'))).rejects.toThrow('timestamp "yesterday" is not RFC 3339');
    expect(host.argsOf('http_post')).toEqual([]);
  });
});

describe('soundtime-webhook', () => {
  const EVENTS: Array<[string, Record<string, unknown>]> = [
    ['on_track_added', { track_id: 't1', title: 'Back in Black', artist: 'AC/DC', album: null }],
    ['on_user_registered', { user_id: 'u2', username: 'grace' }],
    ['on_peer_connected', { peer_id: 'p1', domain: 'peer.example.net', track_count: 12 }],
  ];

  it('posts the envelope {event, instance, timestamp, data} to webhook_url for each of its events', async () => {
    const host = new FakeSoundTime();
    host.config.webhook_url = 'https://hooks.example.com/soundtime';
    host.respond = () => ({ status: 204, headers: {}, body: '' });
    const plugin = await start('soundtime-webhook', host);
    for (const [event, payload] of EVENTS) await plugin.call(`handle_${event}`, JSON.stringify(payload));

    const posts = host.argsOf('http_post') as Array<[string, string, Record<string, string>]>;
    expect(posts.map(([url]) => url)).toEqual(EVENTS.map(() => 'https://hooks.example.com/soundtime'));
    expect(posts.map(([, body]) => JSON.parse(body))).toEqual(
      EVENTS.map(([event, data]) => ({ event, instance: 'music.example.org', timestamp: '2025-01-02T03:04:05Z', data })),
    );
    expect(posts.map(([, , headers]) => headers)).toEqual(EVENTS.map(() => ({ 'content-type': 'application/json' })));
    expect(host.argsOf('log_info')).toEqual(EVENTS.map(([event]) => [`delivered ${event} to https://hooks.example.com/soundtime: HTTP 204`]));
  });

  it('without a webhook_url, warns and posts nothing', async () => {
    const host = new FakeSoundTime();
    const plugin = await start('soundtime-webhook', host);
    await plugin.call('handle_on_user_registered', JSON.stringify({ user_id: 'u2', username: 'grace' }));
    expect(host.calls).toEqual([
      { fn: 'get_config', args: ['webhook_url'] },
      { fn: 'log_warn', args: ['webhook_url is not configured'] },
    ]);
  });
});

describe('soundtime-tagger (the real backend: no host functions, host_requests output)', () => {
  const requests = async (plugin: Plugin, fn: string, payload: unknown) => (await plugin.call(fn, JSON.stringify(payload)))?.json();

  it('imports nothing but Extism kernel functions', async () => {
    const plugin = await start('soundtime-tagger', null);
    const modules = new Set((await plugin.getImports()).map((i) => i.module));
    expect([...modules]).toEqual(['extism:host/env']);
  });

  it('answers an added track with set_track_metadata genre and a log_info', async () => {
    const plugin = await start('soundtime-tagger', null);
    expect(await requests(plugin, 'handle_on_track_added', { track_id: 't1', title: 'Symphony No. 5', artist: 'Beethoven', album: null })).toEqual({
      host_requests: [
        { function: 'set_track_metadata', args: { track_id: 't1', field: 'genre', value: 'Classical' } },
        { function: 'log_info', args: { message: 'tagged "Symphony No. 5" by Beethoven as Classical' } },
      ],
    });
    // Non-ASCII text survives the output (its length is counted in UTF-8 bytes).
    expect(await requests(plugin, 'handle_on_track_added', { track_id: 't2', title: 'Café del Mar (Remix) ☕', artist: 'Ólafur', album: null })).toEqual({
      host_requests: [
        { function: 'set_track_metadata', args: { track_id: 't2', field: 'genre', value: 'Electronic' } },
        { function: 'log_info', args: { message: 'tagged "Café del Mar (Remix) ☕" by Ólafur as Electronic' } },
      ],
    });
  });

  it('only logs when no rule matches, and matches whole words only', async () => {
    const plugin = await start('soundtime-tagger', null);
    expect(await requests(plugin, 'handle_on_track_added', { track_id: 't3', title: 'Housewife Trapeze', artist: 'Nobody' })).toEqual({
      host_requests: [{ function: 'log_info', args: { message: 'no rule matched "Housewife Trapeze" by Nobody' } }],
    });
  });

  it('counts plays in its config: reads the count with config_get, writes it back with set_config', async () => {
    const first = await start('soundtime-tagger', null);
    expect(await requests(first, 'handle_on_track_played', { track_id: 't1', user_id: 'u1', timestamp: '2025-01-02T03:04:05Z' })).toEqual({
      host_requests: [
        { function: 'set_config', args: { key: 'plays:t1', value: '1' } },
        { function: 'log_info', args: { message: 't1 played 1 time' } },
      ],
    });
    const later = await start('soundtime-tagger', null, { config: { 'plays:t1': '41' } });
    expect((await requests(later, 'handle_on_track_played', { track_id: 't1', user_id: 'u1', timestamp: '2025-01-02T03:04:05Z' })).host_requests[0]).toEqual({
      function: 'set_config',
      args: { key: 'plays:t1', value: '42' },
    });
  });
});

describe('the samples stand alone', () => {
  it('carry identical copies of json.ts', () => {
    const copies = SAMPLES.map((name) => readFileSync(join(root, 'sample-plugins', name, 'src/json.ts'), 'utf8'));
    for (const copy of copies) expect(copy).toBe(copies[0]);
  });
});

// The misbehaving modules in tests/plugins, for the runtime's tests: each does what its name
// says. (soundtime-spinner is left out: a synchronous endless loop would hang this process.)
describe('the SoundTime test plugins misbehave as named', () => {
  const played = JSON.stringify({ track_id: 't1', user_id: 'u1', timestamp: '2025-01-02T03:04:05Z' });
  const added = JSON.stringify({ track_id: 't1', title: 'Back in Black', artist: 'AC/DC', album: null });

  it('soundtime-missing-import cannot be linked: its import is named in the error', async () => {
    await expect(start('soundtime-missing-import', new FakeSoundTime())).rejects.toThrow(/not_a_host_function/);
  });

  it('soundtime-no-handlers exports greet and no handle_*', async () => {
    const plugin = await start('soundtime-no-handlers', null);
    const exports = (await plugin.getExports()).map((e) => e.name);
    expect(exports.filter((name) => name.startsWith('handle_'))).toEqual([]);
    expect((await plugin.call('greet', 'SoundTime'))?.text()).toBe('Hello, SoundTime!');
  });

  it('soundtime-trapper traps on a played track, aborts on a deleted one, logging why, and handles an added one', async () => {
    const host = new FakeSoundTime();
    const errors: string[] = [];
    const logger = { ...console, error: (message: string) => void errors.push(message) } as Console;
    const plugin = await start('soundtime-trapper', host, { logger });
    await plugin.call('handle_on_track_added', added);
    await expect(plugin.call('handle_on_track_played', played)).rejects.toThrow(/unreachable/);
    expect(errors).toEqual([]);
    // An abort is a trap too; its message reaches the host through Extism's log_error.
    await expect(plugin.call('handle_on_track_deleted', '{"track_id":"t1"}')).rejects.toThrow(/unreachable/);
    expect(errors).toEqual([expect.stringMatching(/^refusing to handle a deleted track at src\/index\.ts:\d+:\d+$/)]);
    expect(host.argsOf('log_info')).toEqual([['handled on_track_added normally'], ['about to trap']]);
  });

  it('soundtime-bad-output outputs text that is not JSON, then host_requests of the wrong shapes', async () => {
    const plugin = await start('soundtime-bad-output', null);
    const text = (await plugin.call('handle_on_track_added', added))?.text() ?? '';
    expect(() => JSON.parse(text)).toThrow();
    const { host_requests } = (await plugin.call('handle_on_track_played', played))?.json() as { host_requests: unknown[] };
    expect(host_requests).toContainEqual({ function: 'delete_all_tracks', args: {} });
    expect(host_requests).toContainEqual({ function: 'set_track_metadata', args: { track_id: 42, field: 'genre', value: 'Rock' } });
    expect(host_requests.at(-1)).toEqual({ function: 'log_info', args: { message: 'the one well-formed request' } });
  });

  it('soundtime-request-flood outputs 100,000 log_info requests in one output', async () => {
    const plugin = await start('soundtime-request-flood', null);
    const { host_requests } = (await plugin.call('handle_on_track_added', added))?.json() as { host_requests: Array<{ function: string }> };
    expect(host_requests).toHaveLength(100_000);
    expect(host_requests.every((r) => r.function === 'log_info')).toBe(true);
  });

  it('soundtime-memory-hog grows to the memory cap, says how far it got, and fails the call', async () => {
    const capped = capMemory(built['soundtime-memory-hog'], 8 * 1024 * 1024);
    if (!capped.ok) throw new Error(capped.reason);
    const host = new FakeSoundTime();
    const plugin = await start('soundtime-memory-hog', host, { wasm: capped.bytes });
    await expect(plugin.call('handle_on_track_played', played)).rejects.toThrow(/memory.grow failed after growing by \d+ pages: 128 pages \(8 MiB\) in all/);
    expect(host.argsOf('log_warn')).toEqual([[expect.stringMatching(/^memory.grow failed after growing by \d+ pages: 128 pages \(8 MiB\) in all$/)]]);
  });
});
