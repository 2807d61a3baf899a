// Messages from plugin UI panels. Panels live in `<iframe sandbox="allow-scripts">` (opaque
// origin), so `event.origin` is "null" for all of them: a message is trusted only when its
// `source` is the contentWindow of a panel we created, its origin is "null", and it has the
// expected shape. A frame that loads a second document has escaped: it is forgotten here for good.
import { MAX_PANEL_PAYLOAD_CHARS as MAX_PAYLOAD_CHARS } from '../shared/limits.ts';
import type { Playground } from '../host/playground.ts';
import { PANEL_SOURCE } from '../shared/reserved-names.ts';

export interface PanelAction {
  type: 'playground:plugin-action';
  action: string;
  payload: unknown;
}

const ACTION = /^[A-Za-z][\w-]{0,63}$/;

/** The action when `data` has exactly the expected shape, else the reason it is refused. */
export function parsePanelAction(data: unknown): PanelAction | string {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return 'not an object';
  const keys = Object.keys(data).sort().join(',');
  if (keys !== 'action,payload,type' && keys !== 'action,type') return `unexpected keys ${keys}`;
  const { type, action, payload } = data as Record<string, unknown>;
  if (type !== 'playground:plugin-action') return `type ${JSON.stringify(type)} is not "playground:plugin-action"`;
  if (typeof action !== 'string' || !ACTION.test(action)) return `action ${JSON.stringify(action)} is not a short name`;
  let text: string | undefined;
  try {
    text = JSON.stringify(payload ?? null);
  } catch {
    return 'payload is not JSON';
  }
  if (text.length > MAX_PAYLOAD_CHARS) return `payload is ${text.length} characters; at most ${MAX_PAYLOAD_CHARS}`;
  return { type, action, payload: JSON.parse(text) as unknown };
}

// Weak: a frame that leaves the page takes its entry with it.
const panels = new WeakMap<Window, { pluginId: string; slot: string }>();
let listening: Playground | undefined;

function onMessage(event: MessageEvent): void {
  const playground = listening!;
  const panel = event.source ? panels.get(event.source as Window) : undefined;
  const claimsAction = typeof event.data === 'object' && event.data?.type === 'playground:plugin-action';
  if (!panel) {
    if (claimsAction) {
      playground.trace.add({
        kind: 'error',
        pluginId: PANEL_SOURCE,
        message: `ignored a plugin action that did not come from a plugin panel (origin ${event.origin})`,
      });
    }
    return;
  }
  if (event.origin !== 'null') {
    playground.trace.add({
      kind: 'error',
      pluginId: panel.pluginId,
      message: `ignored a message from its ${panel.slot} panel: origin ${event.origin} is not "null"`,
    });
    return;
  }
  const parsed = parsePanelAction(event.data);
  if (typeof parsed === 'string') {
    playground.trace.add({ kind: 'error', pluginId: panel.pluginId, message: `ignored a message from its ${panel.slot} panel: ${parsed}` });
    return;
  }
  void playground.dispatcher.uiAction(panel.pluginId, parsed.action, parsed.payload);
}

export function registerPanel(playground: Playground, window: Window, pluginId: string, slot: string): void {
  if (!listening) {
    listening = playground;
    globalThis.addEventListener('message', onMessage);
  }
  panels.set(window, { pluginId, slot });
}

export function unregisterPanel(window: Window | null): void {
  if (window) panels.delete(window);
}

/** A panel's frame loaded another document: nothing from it is accepted again, and the trace says why. */
export function panelEscaped(playground: Playground, window: Window | null, pluginId: string, slot: string): void {
  unregisterPanel(window);
  playground.trace.add({
    kind: 'error',
    pluginId,
    message: `its ${slot} panel loaded another page (it navigated, reloaded or refreshed itself); the panel was closed and nothing from that frame is accepted`,
  });
}
