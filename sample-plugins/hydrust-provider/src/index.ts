// A Hydrust site-provider (hydrust:protocol@0.1.1): recognises a few video and audio URL
// patterns and publishes `identified`, then `result-ready` with a stream-info. SoundCloud
// pages need the browser to sniff the stream, and one demo host needs a captcha first.
import publish, { type HydrustEvent, type PluginEventPayload, type StreamInfo } from 'publish';

const NAME = 'hydrust-provider';

/** What a resolution is waiting for: the browser's observation, or a solved captcha. */
let pending: { kind: 'browser' | 'captcha'; url: string; title: string } | undefined;

function send(reply: HydrustEvent, payload: PluginEventPayload): void {
  publish({ id: reply.id, origin: NAME, timestamp: reply.timestamp, payload: { tag: 'plugin', val: payload } });
}

function recognise(raw: string): { site: string; stream?: StreamInfo; needs?: 'browser' | 'captcha'; title: string } | undefined {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return undefined;
  }
  const host = url.hostname.replace(/^www\./, '');
  if (host === 'youtube.com' && url.pathname === '/watch' && url.searchParams.get('v')) {
    const id = url.searchParams.get('v')!;
    return { site: 'youtube', title: `YouTube video ${id}`, stream: { title: `YouTube video ${id}`, videoUrl: `https://www.youtube.com/embed/${id}` } };
  }
  if (host === 'youtu.be' && url.pathname.length > 1) {
    const id = url.pathname.slice(1);
    return { site: 'youtube', title: `YouTube video ${id}`, stream: { title: `YouTube video ${id}`, videoUrl: `https://www.youtube.com/embed/${id}` } };
  }
  const vimeo = /^\/(\d+)$/.exec(url.pathname);
  if (host === 'vimeo.com' && vimeo) {
    return {
      site: 'vimeo',
      title: `Vimeo video ${vimeo[1]}`,
      stream: { title: `Vimeo video ${vimeo[1]}`, videoUrl: `https://player.vimeo.com/video/${vimeo[1]}` },
    };
  }
  if (host === 'soundcloud.com' && url.pathname.split('/').filter(Boolean).length === 2) {
    return { site: 'soundcloud', title: `SoundCloud ${url.pathname.slice(1)}`, needs: 'browser' };
  }
  if (host === 'members.example.com') return { site: 'members', title: `Members-only ${url.pathname}`, needs: 'captcha' };
  return undefined;
}

export function getInfo() {
  return {
    name: NAME,
    version: '0.1.0',
    author: 'Plugin Playground',
    description: 'Resolves YouTube, Vimeo and SoundCloud links (Hydrust site-provider).',
  };
}

export function onEvent(event: HydrustEvent): void {
  if (event.payload.tag !== 'core') return;
  const core = event.payload.val;
  switch (core.tag) {
    case 'intent-resolve': {
      const found = recognise(core.val);
      if (!found) {
        console.log(`not a URL this provider handles: ${core.val}`);
        return;
      }
      send(event, { tag: 'identified', val: found.site });
      if (found.stream) {
        send(event, { tag: 'result-ready', val: found.stream });
      } else if (found.needs === 'browser') {
        pending = { kind: 'browser', url: core.val, title: found.title };
        send(event, { tag: 'request-browser', val: { title: found.title, videoUrl: core.val } });
      } else {
        pending = { kind: 'captcha', url: core.val, title: found.title };
        send(event, { tag: 'request-captcha', val: core.val });
      }
      return;
    }
    case 'browser-observed':
    case 'captcha-solved': {
      const wanted = core.tag === 'browser-observed' ? 'browser' : 'captcha';
      if (!pending || pending.kind !== wanted) {
        send(event, { tag: 'error', val: { title: `unexpected ${core.tag}: nothing is waiting for it`, videoUrl: '' } });
        return;
      }
      const { url, title } = pending;
      pending = undefined;
      send(event, {
        tag: 'result-ready',
        val: wanted === 'browser' ? { title, videoUrl: url, audioUrl: core.val } : { title, videoUrl: `${url}?token=${encodeURIComponent(core.val)}` },
      });
      return;
    }
  }
}
