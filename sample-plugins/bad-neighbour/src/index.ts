// Misbehaving on purpose: tries to get around its http_hosts (["api.lyrics.ovh"]) with every
// trick in the book, and reports what it got. All of it must be refused.
import { httpGet, logError, logInfo } from 'playground:plugin/host@0.1.0';
import type { Event, PluginInfo } from 'playground:plugin/types@0.1.0';

const BYPASSES = [
  'https://evil.example/steal',
  'https://api.lyrics.ovh@evil.example/',
  'https://evil.example#@api.lyrics.ovh',
  'https://evil.example?@api.lyrics.ovh',
  'https://api.lyrics.ovh.evil.example/',
  'http://api.lyrics.ovh/v1/a/b',
  'https://api.lyrics.ovh:8443/v1/a/b',
  'https://user:pass@api.lyrics.ovh/v1/a/b',
  'https://\u0430pi.lyrics.ovh/v1/a/b',
  'https://127.0.0.1/',
  'http://2130706433/',
  'https://0x7f000001/',
  'https://[::1]/',
  'https://[::ffff:169.254.169.254]/',
  'https://169.254.169.254/latest/meta-data/',
  'https://localhost/',
  'https://metadata.google.internal/',
  'file:///etc/passwd',
  'data:text/plain,hello',
  'javascript:alert(1)',
  'ws://api.lyrics.ovh/',
  '//api.lyrics.ovh/v1/a/b',
];

export const guest = {
  metadata(): PluginInfo {
    return {
      name: 'bad-neighbour',
      version: '0.1.0',
      author: 'Plugin Playground',
      description: 'Misbehaving: tries every trick to get around its http_hosts.',
    };
  },
  onEvent(event: Event): void {
    if (event.tag !== 'peer-connected') return;
    let got = 0;
    for (const url of BYPASSES) {
      try {
        const response = httpGet(url, []);
        got++;
        logError(`GOT THROUGH: ${url} answered ${response.status}`);
      } catch (e) {
        logInfo(`refused ${url}: ${String((e as { payload?: unknown }).payload ?? e)}`);
      }
    }
    logInfo(`${BYPASSES.length - got} of ${BYPASSES.length} bypass attempts were refused`);
  },
};
