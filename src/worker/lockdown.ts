// A plugin worker has no ambient network or storage: the only way out is the host port.
// For [Global] interfaces Chromium puts these members on the global object, but they could be
// on a prototype too, so each name is removed along the whole chain and then pinned to
// `undefined` on the global object, where it cannot be redefined.

export const BLOCKED_GLOBALS = [
  'fetch',
  'XMLHttpRequest',
  'WebSocket',
  'WebSocketStream',
  'WebTransport',
  'EventSource',
  'importScripts',
  'Worker',
  'SharedWorker',
  'indexedDB',
  'caches',
  'BroadcastChannel',
] as const;

export function lockDown(scope: object = globalThis): void {
  for (const name of BLOCKED_GLOBALS) {
    for (let target: object | null = scope; target; target = Object.getPrototypeOf(target)) {
      const descriptor = Object.getOwnPropertyDescriptor(target, name);
      if (descriptor?.configurable) delete (target as Record<string, unknown>)[name];
    }
    Object.defineProperty(scope, name, { value: undefined, writable: false, configurable: false, enumerable: false });
  }
}
