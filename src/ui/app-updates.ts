/// <reference types="vite-plugin-pwa/vanillajs" />
// The service worker's news for the page: the app now works offline, or a new version is
// installed and waiting for the page to reload into it.
import { registerSW } from 'virtual:pwa-register';

/** How often an open page asks the server whether a new version was deployed. */
const CHECK_EVERY_MS = 60 * 60 * 1000;

/** @fires change - when `offlineReady` or `updateWaiting` changes. */
export class AppUpdates extends EventTarget {
  /** Everything the app needs is cached: it loads and runs plugins with the network off. */
  offlineReady = false;
  /** A new version is installed; `reload()` switches to it. */
  updateWaiting = false;
  private update?: (reload?: boolean) => Promise<void>;

  start(): void {
    if (!('serviceWorker' in navigator)) return;
    // Controlled at load: a worker installed on an earlier visit, with its cache complete.
    this.offlineReady = navigator.serviceWorker.controller !== null;
    this.update = registerSW({
      onOfflineReady: () => this.set({ offlineReady: true }),
      onNeedRefresh: () => this.set({ updateWaiting: true }),
      onRegisteredSW: (_url, registration) => {
        if (registration) watchForUpdates(registration);
      },
      // Without a service worker the app still works; it just needs the network to load.
      onRegisterError: (error: unknown) => console.warn('Offline support is unavailable:', error),
    });
  }

  /** Activates the waiting version and reloads the page into it. */
  async reload(): Promise<void> {
    await this.update?.(true);
  }

  private set(change: Partial<Pick<AppUpdates, 'offlineReady' | 'updateWaiting'>>): void {
    Object.assign(this, change);
    this.dispatchEvent(new Event('change'));
  }
}

function watchForUpdates(registration: ServiceWorkerRegistration): void {
  const check = () => {
    // Offline, or the server is gone for a moment: try again next time.
    if (navigator.onLine) registration.update().catch(() => {});
  };
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible') check();
  });
  setInterval(check, CHECK_EVERY_MS);
}
