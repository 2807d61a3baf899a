// SoundTime's Webhook Notifier as an Extism plugin in AssemblyScript: relays events to the
// configured webhook_url as a JSON envelope {event, instance, timestamp, data}, where data is
// the event's payload as SoundTime sent it.
//   asc src/index.ts --outFile soundtime-webhook.wasm --use abort=src/index/myAbort -O2
import { Host, Memory } from '@extism/as-pdk';
import { error_set, length, log_error } from '@extism/as-pdk/lib/env';
import { parse, quote } from './json';

// SoundTime's host functions. Every parameter and result is an Extism memory block offset.
// (A declared class, because Prettier cannot parse a decorated top-level function.)
declare class SoundTime {
  @external('extism:host/user', 'get_config')
  static get_config(key: u64): u64;
  @external('extism:host/user', 'get_instance_info')
  static get_instance_info(): u64;
  @external('extism:host/user', 'get_current_timestamp')
  static get_current_timestamp(): u64;
  @external('extism:host/user', 'http_post')
  static http_post(url: u64, body: u64, headers: u64): u64;
  @external('extism:host/user', 'log_info')
  static log_info(message: u64): void;
  @external('extism:host/user', 'log_warn')
  static log_warn(message: u64): void;
}

function block(s: string): u64 {
  return Memory.allocateString(s).offset;
}

function text(offset: u64): string | null {
  return offset == 0 ? null : new Memory(offset, length(offset)).toString();
}

/** Fails the call with `message` (Extism's error), as a Rust plugin's `Err` would. */
function fail(message: string): i32 {
  error_set(block(message));
  return 1;
}

function myAbort(message: string | null, fileName: string | null, line: u32, column: u32): void {
  const what = message !== null ? message : 'abort';
  const where = fileName !== null ? fileName : '?';
  const report = `${what} at ${where}:${line}:${column}`;
  // A trap carries no message, so it goes to the host's log as well as into the call's error.
  log_error(block(report));
  error_set(block(report));
  unreachable();
}

/** The shared helper every handler delegates to, as in SoundTime's example. */
function sendWebhook(event: string): i32 {
  const data = Host.inputString().trim();
  if (parse(data) === null) return fail(`${event}: the payload is not JSON`);
  const url = text(SoundTime.get_config(block('webhook_url')));
  if (url === null || url.length == 0) {
    SoundTime.log_warn(block('webhook_url is not configured'));
    return 0;
  }
  const info = text(SoundTime.get_instance_info());
  const instance = info !== null ? parse(info) : null;
  const domain = instance !== null ? instance.getString('domain') : null;
  const timestamp = text(SoundTime.get_current_timestamp());

  const envelope =
    `{"event":${quote(event)},"instance":${domain !== null ? quote(domain) : 'null'},` +
    `"timestamp":${timestamp !== null ? quote(timestamp) : 'null'},"data":${data}}`;
  const answer = text(SoundTime.http_post(block(url), block(envelope), block('{"content-type":"application/json"}')));
  const response = answer !== null ? parse(answer) : null;
  const status = response !== null ? i32(response.getNumber('status', 0)) : 0;
  SoundTime.log_info(block(`delivered ${event} to ${url}: HTTP ${status}`));
  return 0;
}

export function handle_on_track_added(): i32 {
  return sendWebhook('on_track_added');
}

export function handle_on_user_registered(): i32 {
  return sendWebhook('on_user_registered');
}

export function handle_on_peer_connected(): i32 {
  return sendWebhook('on_peer_connected');
}
