// A plugin worker has no ambient network or storage: the only way out is its channel to the page.
// For [Global] interfaces Chromium puts these members on the global object, but they could be
// on a prototype too, so each name is removed along the whole chain and then pinned to
// `undefined` on the object itself, where it cannot be redefined. `import()` is syntax and
// cannot be removed: the worker scripts' Content-Security-Policy header refuses remote
// modules instead (src/shared/csp.ts).

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
  // A FontFace with a url() source fetches it.
  'FontFace',
  'fonts',
  // Shows system notifications when the app's origin was granted that once.
  'Notification',
] as const;

/** Navigator members (accessors on WorkerNavigator.prototype) that reach storage, devices or the GPU. */
export const BLOCKED_NAVIGATOR = ['storage', 'storageBuckets', 'locks', 'gpu', 'usb', 'hid', 'serial'] as const;

function remove(scope: object, names: readonly string[]): void {
  for (const name of names) {
    for (let target: object | null = scope; target; target = Object.getPrototypeOf(target)) {
      const descriptor = Object.getOwnPropertyDescriptor(target, name);
      if (descriptor?.configurable) delete (target as Record<string, unknown>)[name];
    }
    Object.defineProperty(scope, name, { value: undefined, writable: false, configurable: false, enumerable: false });
  }
}

export function lockDown(scope: object = globalThis): void {
  const navigator = (scope as { navigator?: unknown }).navigator;
  if (typeof navigator === 'object' && navigator !== null) remove(navigator, BLOCKED_NAVIGATOR);
  remove(scope, BLOCKED_GLOBALS);
}
