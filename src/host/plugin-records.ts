// The rules that turn what was uploaded or edited into the plugin record to store: what an
// update keeps, when a plugin must be reviewed again, what the review shows. Pure: no storage.
import { parseManifest, type ManifestIssue } from '../shared/manifest.ts';
import { describePermissions, permissionsExceed } from '../shared/manifest-text.ts';
import type { PluginRecord } from './db.ts';
import type { PreparedPlugin } from './install.ts';

export interface Review {
  /** Everything the plugin asks for, in plain words. */
  lines: string[];
  /** What it asks for beyond what was approved before (empty on a first review). */
  added: string[];
  anyHost: boolean;
}

/** A scripted panel the approval did not cover: an update that adds one is reviewed again. */
function panelAdded(record: PluginRecord): boolean {
  return record.manifest.ui.enabled && record.approvedPanel === false;
}

/** True while the manifest asks for permissions (or a panel) the user has not approved. */
export function needsReview(record: PluginRecord): boolean {
  return !record.approved || permissionsExceed(record.approved, record.manifest.permissions).length > 0 || panelAdded(record);
}

export function reviewOf(record: PluginRecord): Review {
  const requested = record.manifest.permissions;
  return {
    lines: describePermissions(requested),
    added: record.approved ? [...permissionsExceed(record.approved, requested), ...(panelAdded(record) ? ['Show a scripted panel'] : [])] : [],
    anyHost: requested.httpHosts.includes('*'),
  };
}

/**
 * The record for an upload: a new plugin, or an update of `existing` that keeps its approvals,
 * enabled state, load order and install time. An enabled update asking for more is disabled,
 * with a notice saying so.
 */
export function uploadedRecord(
  prepared: PreparedPlugin,
  existing: PluginRecord | undefined,
  source: PluginRecord['source'],
  nextOrder: number,
  now = Date.now(),
): { record: PluginRecord; notice?: string } {
  const { id, bytes, ...rest } = prepared;
  const record: PluginRecord = {
    ...rest,
    id,
    bytes,
    size: bytes.length,
    approved: existing?.approved,
    approvedPanel: existing?.approvedPanel,
    enabled: existing?.enabled ?? false,
    order: existing?.order ?? nextOrder,
    source,
    installedAt: existing?.installedAt ?? now,
    updatedAt: now,
  };
  if (!record.enabled || !needsReview(record)) return { record };
  record.enabled = false;
  return { record, notice: `${id} ${record.manifest.plugin.version} asks for more than you approved; it is disabled until you review and enable it again.` };
}

/**
 * The record after the manifest was edited, or the issues that refuse the text. The name is the
 * plugin's identity and cannot change; asking for more than was approved disables it.
 */
export function editedRecord(record: PluginRecord, text: string): { errors: ManifestIssue[] } | { record: PluginRecord; notice?: string } {
  const result = parseManifest(text, { appVersion: __APP_VERSION__ });
  if (!result.ok) return { errors: result.errors };
  const id = record.id;
  if (result.manifest.plugin.name !== id) {
    const message = `plugin.name is this plugin's identity and cannot change from "${id}" to "${result.manifest.plugin.name}"; add the component again under the new name instead.`;
    const line = text.split('\n').findIndex((l) => /^\s*name\s*=/.test(l)) + 1;
    return { errors: [{ field: 'plugin.name', rule: 'identity', message, severity: 'error', line: line || undefined }] };
  }
  const next: PluginRecord = { ...record, manifestText: text, manifest: result.manifest, draft: false, warnings: result.warnings.map((w) => w.message) };
  if (!next.enabled || !needsReview(next)) return { record: next };
  next.enabled = false;
  return { record: next, notice: `${id} now asks for more than you approved; it is disabled until you review and enable it again.` };
}

/** What the trace says about an install or update. */
export function installDetail(record: PluginRecord, prepared: PreparedPlugin, replaced?: { replaced: string; keptConfig: boolean }, notice?: string): string {
  const how =
    prepared.profile === 'soundtime'
      ? `an Extism module, nothing to transpile, instrumented to count fuel${prepared.instrumentMs === undefined ? ' (from the cache)' : ` in ${prepared.instrumentMs.toFixed(0)} ms`}`
      : prepared.transpileMs === undefined
        ? 'transpile cache hit'
        : `transpiled in ${prepared.transpileMs.toFixed(0)} ms, instrumented to count fuel in ${(prepared.instrumentMs ?? 0).toFixed(0)} ms`;
  return (
    `${record.id} ${record.manifest.plugin.version} from ${record.fileName} (${record.bytes.length} bytes, ${how}, ${prepared.draft ? 'draft manifest' : 'with plugin.toml'})` +
    (replaced ? `; replaced ${replaced.replaced} at the user's word: needs review, config ${replaced.keptConfig ? 'kept' : 'cleared'}` : '') +
    (notice ? `; ${notice}` : '')
  );
}
