import { defineConfig, devices } from '@playwright/test';
import { CHROMIUM_ARGS, chromiumExecutable } from './scripts/chromium.mjs';

// PP_PORT lets two checkouts run their e2e suites side by side.
const PORT = Number(process.env.PP_PORT ?? 4173);

export default defineConfig({
  testDir: 'tests/e2e',
  // A wait, not a speed check: transpiling StarlingMonkey on a loaded 2-core machine takes a while.
  timeout: 120_000,
  expect: { timeout: 20_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [['list'], ['html', { open: 'never' }]],
  use: {
    ...devices['Desktop Chrome'],
    baseURL: `http://localhost:${PORT}`,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    // Each fresh context would install the service worker and download the whole precache;
    // only the offline tests (on their own server) let it run.
    serviceWorkers: 'block',
    launchOptions: {
      executablePath: chromiumExecutable(),
      args: [...CHROMIUM_ARGS],
    },
  },
  webServer: {
    command: `npx vite preview --port ${PORT} --strictPort`,
    url: `http://localhost:${PORT}`,
    reuseExistingServer: !process.env.CI,
    timeout: 60_000,
  },
});
