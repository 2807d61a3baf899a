// The shapes of a parsed plugin.toml: the normalised Manifest that storage and UI see, and the
// issues validation reports. Types only, so every manifest module can share them.
import type { EventName } from './events.ts';

export const UI_SLOTS = ['track-detail-sidebar', 'player-extra-controls', 'library-toolbar', 'settings-panel'] as const;
export type UiSlot = (typeof UI_SLOTS)[number];

export interface Manifest {
  plugin: {
    name: string;
    version: string;
    description: string;
    author?: string;
    license?: string;
    homepage?: string;
    minPlaygroundVersion?: string;
  };
  build: { wasm: string };
  permissions: { httpHosts: string[]; events: EventName[]; writeTracks: boolean; configAccess: boolean; readUsers: boolean };
  ui: { enabled: false } | { enabled: true; slot: UiSlot; entry: string };
}

export interface ManifestIssue {
  /** Dotted TOML path, e.g. "plugin.name" or "permissions.events[1]"; "toml" for syntax errors. */
  field: string;
  /** Short rule id, e.g. "pattern". */
  rule: string;
  message: string;
  /** 1-based line in the TOML text, when it can be found. */
  line?: number;
  /** 1-based column; only syntax errors know it. */
  column?: number;
  severity: 'error' | 'warning';
}

export type ManifestResult = { ok: true; manifest: Manifest; warnings: ManifestIssue[] } | { ok: false; errors: ManifestIssue[]; warnings: ManifestIssue[] };
