// The fetch proxy's size caps: a request over one is refused with a sentence naming the limit,
// the trace says so, and nothing is fetched.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { proxyHttp, type HttpRequest } from '../../src/host/http-proxy.ts';
import { Trace } from '../../src/host/trace.ts';
import { MAX_HTTP_REQUEST_BODY_BYTES, MAX_HTTP_REQUEST_HEADER_BYTES, MAX_HTTP_REQUEST_HEADERS, MAX_HTTP_URL_CHARS } from '../../src/shared/limits.ts';

const LIMITS = { timeoutMs: 10_000, maxBodyBytes: 10 * 1024 * 1024 };
const URL_OK = 'https://hooks.example.net/in';

async function send(request: HttpRequest, allowlist: readonly string[] = ['hooks.example.net']) {
  const fetch = vi.fn(async () => new Response('{}', { status: 200 }));
  vi.stubGlobal('fetch', fetch);
  const trace = new Trace();
  const result = await proxyHttp('webhook-notifier', request, allowlist, LIMITS, trace);
  return { result, fetched: fetch.mock.calls.length, http: trace.records().filter((r) => r.kind === 'http') };
}

afterEach(() => vi.unstubAllGlobals());

describe('proxyHttp size caps', () => {
  it('sends a request within every cap', async () => {
    const headers = Array.from({ length: MAX_HTTP_REQUEST_HEADERS }, (_, i): [string, string] => [`x-h${i}`, 'v']);
    const { result, fetched } = await send({ method: 'POST', url: URL_OK, headers, body: 'x'.repeat(MAX_HTTP_REQUEST_BODY_BYTES) });
    expect(result).toMatchObject({ tag: 'ok', val: { status: 200, body: '{}' } });
    expect(fetched).toBe(1);
  });

  it.each([
    [
      'a URL over the cap',
      { method: 'GET', url: `${URL_OK}?q=${'a'.repeat(MAX_HTTP_URL_CHARS)}`, headers: [] },
      `http request refused: the URL is ${URL_OK.length + 3 + MAX_HTTP_URL_CHARS} characters long; the limit for a URL is ${MAX_HTTP_URL_CHARS} characters (send long data in an http-post body)`,
    ],
    [
      'one header too many',
      { method: 'GET', url: URL_OK, headers: Array.from({ length: MAX_HTTP_REQUEST_HEADERS + 1 }, (_, i) => [`x-h${i}`, 'v']) },
      `http request refused: the request has ${MAX_HTTP_REQUEST_HEADERS + 1} headers; the limit is ${MAX_HTTP_REQUEST_HEADERS} headers per request`,
    ],
    [
      'headers over the byte cap',
      { method: 'GET', url: URL_OK, headers: [['authorization', 'é'.repeat(MAX_HTTP_REQUEST_HEADER_BYTES / 2)]] },
      `http request refused: the request headers are ${13 + MAX_HTTP_REQUEST_HEADER_BYTES} bytes together; the limit for all headers of a request is 16384 bytes (16 KiB)`,
    ],
    [
      'a body over the cap, counted in UTF-8 bytes',
      { method: 'POST', url: URL_OK, headers: [], body: '€'.repeat(MAX_HTTP_REQUEST_BODY_BYTES / 2) },
      `http request refused: the request body is ${(MAX_HTTP_REQUEST_BODY_BYTES / 2) * 3} bytes; the limit for a request body is 1048576 bytes (1 MiB)`,
    ],
  ] as const)('refuses %s without fetching', async (_name, request, message) => {
    const { result, fetched, http } = await send({ ...request, headers: request.headers.map(([n, v]) => [n, v] as [string, string]) });
    expect(result).toEqual({ tag: 'err', val: message });
    expect(fetched).toBe(0);
    expect(http).toHaveLength(1);
    expect(http[0]).toMatchObject({ allowed: false, reason: message.replace('http request refused: ', '') });
  });

  it('refuses an oversized request even to an allowed host, before deciding on the URL', async () => {
    const { result, http } = await send({ method: 'GET', url: `https://evil.example/${'a'.repeat(MAX_HTTP_URL_CHARS)}`, headers: [] }, ['*']);
    expect(result).toMatchObject({ tag: 'err', val: expect.stringContaining('the limit for a URL is') });
    expect(http[0]?.kind === 'http' && http[0].url.length).toBeLessThan(MAX_HTTP_URL_CHARS);
  });
});
