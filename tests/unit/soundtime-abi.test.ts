import { describe, expect, it } from 'vitest';
import { MAX_HOST_REQUESTS_PER_CALL } from '../../src/shared/limits.ts';
import { HOST_FUNCTIONS } from '../../src/shared/protocol.ts';
import {
  AbiError,
  decodeCall,
  encodeResult,
  hostRequestCall,
  parseHandlerOutput,
  SOUNDTIME_FUNCTIONS,
  toSoundTimeJson,
} from '../../src/shared/soundtime-abi.ts';

const text = (s: string) => new TextEncoder().encode(s);
const le = (n: number) => {
  const block = new Uint8Array(4);
  new DataView(block.buffer).setUint32(0, n, true);
  return block;
};

describe('SoundTime host functions as Extism imports', () => {
  it("offers the guide's 17 functions and emit_event, each standing for a playground host function", () => {
    expect(Object.keys(SOUNDTIME_FUNCTIONS)).toHaveLength(18);
    for (const spec of Object.values(SOUNDTIME_FUNCTIONS)) expect(HOST_FUNCTIONS).toContain(spec.fn);
  });

  it('reads strings as raw UTF-8 and header maps as JSON objects', () => {
    expect(decodeCall('http_get', [text('https://api.lyrics.ovh/v1/a/b'), text('{"Accept":"application/json"}')])).toEqual({
      fn: 'http-get',
      args: ['https://api.lyrics.ovh/v1/a/b', [['Accept', 'application/json']]],
    });
    expect(decodeCall('http_post', [text('https://x.example.com'), text('{"a":1}'), text('{}')])).toEqual({
      fn: 'http-post',
      args: ['https://x.example.com', '{"a":1}', []],
    });
    expect(decodeCall('set_track_lyrics', [text('trk-1'), text('la la ♪')]).args).toEqual(['trk-1', 'la la ♪']);
  });

  it('reads u32 as 4 little-endian bytes or as decimal text', () => {
    expect(decodeCall('search_tracks', [text('miles'), le(2), le(25)]).args).toEqual(['miles', 2, 25]);
    expect(decodeCall('list_users', [text('1'), text('100')]).args).toEqual([1, 100]);
  });

  it('refuses what does not fit, naming the argument', () => {
    expect(() => decodeCall('get_track', [null])).toThrow('get_track argument 1 is missing (offset 0)');
    expect(() => decodeCall('list_users', [text('one'), le(1)])).toThrow('list_users argument 1 must be a u32');
    expect(() => decodeCall('http_get', [text('https://a.example.com'), text('[1]')])).toThrow('http_get argument 2 must be a JSON object of strings');
    expect(() => decodeCall('set_track_metadata', [text('t'), text('{"year":1959}')])).toThrow('set_track_metadata argument 2.year must be a string');
    expect(() => decodeCall('log_info', [Uint8Array.from([0xff, 0xfe])])).toThrow(AbiError);
  });

  it("writes records as SoundTime's serde does: snake_case, numbers, null for none", () => {
    const track = { id: 't', title: 'So What', artistName: 'Miles Davis', albumTitle: undefined, playCount: 3n, sampleRate: 44100 };
    expect(JSON.parse(encodeResult('get_track', track)!)).toEqual({
      id: 't',
      title: 'So What',
      artist_name: 'Miles Davis',
      album_title: null,
      play_count: 3,
      sample_rate: 44100,
    });
    expect(toSoundTimeJson({ totalPages: 2, tracks: [{ durationSecs: 1.5 }] })).toEqual({ total_pages: 2, tracks: [{ duration_secs: 1.5 }] });
  });

  it('returns HTTP headers as a JSON object, config and timestamps as raw text, nothing as 0', () => {
    const response = { status: 200, headers: [['content-type', 'application/json']], body: '{"lyrics":"…"}' };
    expect(JSON.parse(encodeResult('http_get', response)!)).toEqual({ status: 200, headers: { 'content-type': 'application/json' }, body: '{"lyrics":"…"}' });
    expect(encodeResult('get_config', 'abc')).toBe('abc');
    expect(encodeResult('get_config', undefined)).toBeNull();
    expect(encodeResult('get_current_timestamp', '2026-12-01T00:00:00.000Z')).toBe('2026-12-01T00:00:00.000Z');
    expect(encodeResult('set_config', undefined)).toBeNull();
  });
});

describe("the backend's host_requests output", () => {
  it('reads requests in order from a JSON object', () => {
    const output = JSON.stringify({
      host_requests: [
        { function: 'set_track_metadata', args: { track_id: 't1', field: 'genre', value: 'Jazz' } },
        { function: 'log_info', args: { message: 'tagged' } },
      ],
    });
    const { requests, dropped, problem } = parseHandlerOutput(output, 10);
    expect(problem).toBeUndefined();
    expect(dropped).toBe(0);
    expect(requests.map(hostRequestCall)).toEqual([
      { fn: 'set-track-metadata', args: ['t1', [['genre', 'Jazz']]] },
      { fn: 'log-info', args: ['tagged'] },
    ]);
  });

  it('maps every function the backend handles', () => {
    expect(hostRequestCall({ function: 'set_track_lyrics', args: { track_id: 't', lyrics: 'l' } })).toEqual({ fn: 'set-track-lyrics', args: ['t', 'l'] });
    expect(hostRequestCall({ function: 'set_config', args: { key: 'k', value: 'v' } })).toEqual({ fn: 'set-config', args: ['k', 'v'] });
    expect(hostRequestCall({ function: 'log_warn', args: { message: 'm' } })).toEqual({ fn: 'log-warn', args: ['m'] });
    expect(hostRequestCall({ function: 'log_error', args: { message: 'm' } })).toEqual({ fn: 'log-error', args: ['m'] });
    expect(hostRequestCall({ function: 'emit_event', args: { event_name: 'tagged', payload: { id: 1 } } })).toEqual({
      fn: 'emit-event',
      args: ['tagged', '{"id":1}'],
    });
  });

  it('ignores unknown functions and refuses wrong argument shapes, saying which', () => {
    expect(hostRequestCall({ function: 'delete_everything', args: {} })).toBeUndefined();
    expect(() => hostRequestCall({ function: 'set_track_lyrics', args: 'nope' })).toThrow('set_track_lyrics: args must be a JSON object');
    expect(() => hostRequestCall({ function: 'set_track_lyrics', args: { track_id: 7, lyrics: 'x' } })).toThrow(
      'set_track_lyrics: args.track_id must be a string',
    );
    expect(() => hostRequestCall({ function: 'set_config', args: { key: 'k' } })).toThrow('set_config: args.value must be a string');
  });

  it('treats empty output, null and other JSON as no requests, and says when output is not JSON', () => {
    expect(parseHandlerOutput('', 10)).toEqual({ requests: [], dropped: 0 });
    expect(parseHandlerOutput('null', 10)).toEqual({ requests: [], dropped: 0 });
    expect(parseHandlerOutput('{"ok":true}', 10)).toEqual({ requests: [], dropped: 0 });
    expect(parseHandlerOutput('not json at all', 10).problem).toMatch(/not JSON/);
    expect(parseHandlerOutput('{"host_requests":{}}', 10).problem).toMatch(/not an array/);
  });

  it('keeps at most the cap of requests from one output and counts the rest', () => {
    const output = JSON.stringify({ host_requests: Array.from({ length: 100_000 }, (_, i) => ({ function: 'log_info', args: { message: `line ${i}` } })) });
    const { requests, dropped } = parseHandlerOutput(output, MAX_HOST_REQUESTS_PER_CALL);
    expect(requests).toHaveLength(MAX_HOST_REQUESTS_PER_CALL);
    expect(dropped).toBe(100_000 - MAX_HOST_REQUESTS_PER_CALL);
    expect(requests[0]).toEqual({ function: 'log_info', args: { message: 'line 0' } });
  });
});
