// Makes sure the e2e tests have a Chromium: Playwright's own if installed, else the system's.
// On a fresh Debian/Ubuntu machine run as root (CI), installs the system package with apt.
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { bundledChromium, systemChromium } from './chromium.mjs';

function found() {
  if (process.env.CHROMIUM_PATH && existsSync(process.env.CHROMIUM_PATH)) return process.env.CHROMIUM_PATH;
  return bundledChromium() ?? systemChromium();
}

let browser = found();
const canApt = process.getuid?.() === 0 && spawnSync('sh', ['-c', 'command -v apt-get']).status === 0;
if (!browser && canApt) {
  console.log('No Chromium found: installing the system package with apt-get…');
  const run = (cmd) => spawnSync('sh', ['-c', cmd], { stdio: 'inherit' }).status === 0;
  if (run('apt-get update -qq') && run('DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium')) browser = found();
}
if (!browser) {
  console.error(
    'No Chromium for the e2e tests. Install one of:\n' +
      "  npx playwright install chromium     (Playwright's own build)\n" +
      '  sudo apt-get install chromium       (Debian/Ubuntu system package)\n' +
      'or set CHROMIUM_PATH to a Chromium or Chrome executable.',
  );
  process.exit(1);
}
console.log(`e2e browser: ${browser}`);
