// The one way a plugin reaches the network: decide on the parsed URL (http-policy.ts), trace the
// decision, and only then fetch, without credentials, referrer or redirects, with a timeout and
// a body cap enforced while streaming.
import { decideHttp, type HttpDecision } from '../shared/http-policy.ts';
import { utf8Length } from '../shared/utf8.ts';
import {
  KiB,
  MAX_HTTP_REQUEST_BODY_BYTES,
  MAX_HTTP_REQUEST_HEADER_BYTES,
  MAX_HTTP_REQUEST_HEADERS,
  MAX_HTTP_URL_CHARS,
  MAX_TRACE_STRING,
  MiB,
} from '../shared/limits.ts';
import type { WitResult } from '../shared/protocol.ts';
import type { Trace } from './trace.ts';

export interface HttpRequest {
  method: 'GET' | 'POST';
  url: string;
  headers: Array<[string, string]>;
  body?: string;
}

export interface HttpLimits {
  timeoutMs: number;
  maxBodyBytes: number;
}

export interface HttpResponse {
  status: number;
  headers: Array<[string, string]>;
  body: string;
}

class BodyTooLarge extends Error {}

function mib(bytes: number): string {
  const value = bytes / MiB;
  return `${Number.isInteger(value) ? value : value.toFixed(1)} MiB`;
}

/** A limit in bytes, exactly and in the unit it was set in: sizes near it stay comparable. */
function limitBytes(bytes: number): string {
  return `${bytes} bytes (${bytes >= MiB ? mib(bytes) : `${bytes / KiB} KiB`})`;
}

// forEach, not entries(): the same code is type-checked with and without DOM.Iterable.
function headerList(headers: Headers): Array<[string, string]> {
  const list: Array<[string, string]> = [];
  headers.forEach((value, name) => list.push([name, value]));
  return list;
}

function clip(text: string): string {
  return text.length <= MAX_TRACE_STRING ? text : `${text.slice(0, MAX_TRACE_STRING)}… [${text.length - MAX_TRACE_STRING} more characters]`;
}

/** Why the request is too big to send, or undefined. Checked before the URL is even parsed. */
function oversize(request: HttpRequest): string | undefined {
  if (request.url.length > MAX_HTTP_URL_CHARS) {
    return `the URL is ${request.url.length} characters long; the limit for a URL is ${MAX_HTTP_URL_CHARS} characters (send long data in an http-post body)`;
  }
  if (request.headers.length > MAX_HTTP_REQUEST_HEADERS) {
    return `the request has ${request.headers.length} headers; the limit is ${MAX_HTTP_REQUEST_HEADERS} headers per request`;
  }
  const headerBytes = request.headers.reduce((sum, [name, value]) => sum + utf8Length(name) + utf8Length(value), 0);
  if (headerBytes > MAX_HTTP_REQUEST_HEADER_BYTES) {
    return `the request headers are ${headerBytes} bytes together; the limit for all headers of a request is ${limitBytes(MAX_HTTP_REQUEST_HEADER_BYTES)}`;
  }
  const bodyBytes = request.body === undefined ? 0 : utf8Length(request.body);
  if (bodyBytes > MAX_HTTP_REQUEST_BODY_BYTES) {
    return `the request body is ${bodyBytes} bytes; the limit for a request body is ${limitBytes(MAX_HTTP_REQUEST_BODY_BYTES)}`;
  }
  return undefined;
}

/** Reads the body as it arrives and gives up as soon as it passes the cap. */
async function readCapped(response: Response, maxBytes: number, abort: AbortController): Promise<Uint8Array> {
  const declared = Number(response.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > maxBytes) {
    abort.abort();
    throw new BodyTooLarge();
  }
  const chunks: Uint8Array[] = [];
  let total = 0;
  const reader = response.body?.getReader();
  if (!reader) return new Uint8Array();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.length;
    if (total > maxBytes) {
      abort.abort();
      throw new BodyTooLarge();
    }
    chunks.push(value);
  }
  const body = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.length;
  }
  return body;
}

export async function proxyHttp(
  pluginId: string,
  request: HttpRequest,
  allowlist: readonly string[],
  limits: HttpLimits,
  trace: Trace,
): Promise<WitResult<HttpResponse>> {
  const tooBig = oversize(request);
  const decision: HttpDecision = tooBig === undefined ? decideHttp(request.url, allowlist) : { allowed: false, reason: tooBig };
  trace.add({
    kind: 'http',
    pluginId,
    method: request.method,
    // An oversized request is refused for its size: the trace keeps only a readable start of it.
    url: tooBig === undefined ? request.url : clip(request.url),
    allowed: decision.allowed,
    reason: decision.reason,
    requestHeaders: tooBig === undefined ? request.headers : request.headers.slice(0, MAX_HTTP_REQUEST_HEADERS).map(([n, v]) => [clip(n), clip(v)]),
  });
  if (!decision.allowed || !decision.url) return { tag: 'err', val: `http request refused: ${decision.reason}` };

  const abort = new AbortController();
  const timeoutSecs = limits.timeoutMs / 1000;
  const timer = setTimeout(() => abort.abort(new DOMException('timeout', 'TimeoutError')), limits.timeoutMs);
  const began = performance.now();
  try {
    const response = await fetch(decision.url.href, {
      method: request.method,
      headers: request.headers,
      body: request.method === 'POST' ? (request.body ?? '') : undefined,
      redirect: 'manual',
      credentials: 'omit',
      referrerPolicy: 'no-referrer',
      cache: 'no-store',
      mode: 'cors',
      signal: abort.signal,
    });
    if (response.type === 'opaqueredirect' || (response.status >= 300 && response.status < 400)) {
      throw new Error(`redirect to another location was blocked (redirects are never followed; request ${decision.url.href} directly)`);
    }
    const bytes = await readCapped(response, limits.maxBodyBytes, abort);
    const result: HttpResponse = {
      status: response.status,
      headers: headerList(response.headers),
      body: new TextDecoder().decode(bytes),
    };
    trace.add({
      kind: 'http-response',
      pluginId,
      url: decision.url.href,
      status: result.status,
      responseHeaders: result.headers,
      bodyBytes: bytes.length,
      durationMs: performance.now() - began,
    });
    return { tag: 'ok', val: result };
  } catch (e) {
    let message: string;
    if (e instanceof BodyTooLarge) message = `response larger than ${mib(limits.maxBodyBytes)}; it was cut off while streaming`;
    else if (abort.signal.aborted && abort.signal.reason instanceof DOMException && abort.signal.reason.name === 'TimeoutError') {
      message = `timed out after ${Number.isInteger(timeoutSecs) ? timeoutSecs : timeoutSecs.toFixed(1)} s`;
    } else if (e instanceof TypeError) message = 'network error (the server may not allow cross-origin requests)';
    else message = e instanceof Error ? e.message : String(e);
    trace.add({ kind: 'error', pluginId, message: `${request.method} ${decision.url.href}: ${message}` });
    return { tag: 'err', val: message };
  } finally {
    clearTimeout(timer);
  }
}
