import { describe, expect, it } from 'vitest';
import { describePanel } from '../../src/shared/manifest-text.ts';

describe('what the review says about a UI panel', () => {
  it('says nothing for a plugin without one', () => {
    expect(describePanel({ enabled: false })).toEqual([]);
  });

  it('says where the panel shows, what it is told, what it cannot do and what it still can', () => {
    expect(describePanel({ enabled: true, slot: 'track-detail-sidebar', entry: 'ui/panel.html' })).toEqual([
      'A scripted page shown beside the selected track: it is told the selected track and can ask the plugin to act',
      "The panel cannot load or send anything over the network, read this app's data, or change the page around it",
      'It could still send what it is told out through WebRTC, which browsers do not let a page switch off',
    ]);
    expect(describePanel({ enabled: true, slot: 'library-toolbar', entry: 'ui/panel.html' })[0]).toBe(
      'A scripted page shown in the library toolbar: it is told how many tracks the library has and can ask the plugin to act',
    );
  });
});
