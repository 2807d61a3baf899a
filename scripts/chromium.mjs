// Which Chromium the e2e tests and the benchmarks drive, and with which flags. Playwright's own
// build when it is installed (a developer laptop); otherwise the system one (CI, and machines
// where `playwright install` cannot download). CHROMIUM_PATH overrides both.
import { existsSync } from 'node:fs';
import { chromium } from '@playwright/test';

const SYSTEM = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];

/** Playwright's own Chromium, if it is installed. */
export function bundledChromium() {
  try {
    const path = chromium.executablePath();
    return existsSync(path) ? path : undefined;
  } catch {
    return undefined; // no bundled browser registered
  }
}

export function systemChromium() {
  return SYSTEM.find((path) => existsSync(path));
}

/** For `launchOptions.executablePath`: undefined lets Playwright use its own build. */
export function chromiumExecutable() {
  if (process.env.CHROMIUM_PATH) return process.env.CHROMIUM_PATH;
  return bundledChromium() ? undefined : systemChromium();
}

/** Headless in containers and CI: no sandbox, GPU or background traffic. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
