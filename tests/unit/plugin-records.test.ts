import { describe, expect, it } from 'vitest';
import type { PluginRecord } from '../../src/host/db.ts';
import { NO_GRANT } from '../../src/host/permissions.ts';
import { needsReview, reviewOf } from '../../src/host/plugin-records.ts';

function record(ui: boolean, approved: Partial<PluginRecord>): PluginRecord {
  const manifest = {
    permissions: { ...NO_GRANT, events: ['on_track_added'] },
    ui: ui ? { enabled: true, slot: 'track-detail-sidebar', entry: 'ui/panel.html' } : { enabled: false },
  };
  return { manifest, ...approved } as unknown as PluginRecord;
}

describe('plugin records', () => {
  it('a plugin is reviewed before its first run', () => {
    expect(needsReview(record(false, {}))).toBe(true);
  });

  it('an update that adds a scripted panel is reviewed again, and the review says so', () => {
    const approvedWithoutPanel = { approved: { ...NO_GRANT, events: ['on_track_added' as const] }, approvedPanel: false };
    expect(needsReview(record(false, approvedWithoutPanel))).toBe(false);
    expect(needsReview(record(true, approvedWithoutPanel))).toBe(true);
    expect(reviewOf(record(true, approvedWithoutPanel)).added).toEqual(['Show a scripted panel']);
    expect(needsReview(record(true, { ...approvedWithoutPanel, approvedPanel: true }))).toBe(false);
  });
});
