// Plugin names the host itself uses as a source name. A plugin called so could pass off its
// trace lines and emitted events as the host's, so plugin.toml may not take them.

/** The source name of actions from plugin panels, and of the host's trace lines about panels. */
export const PANEL_SOURCE = 'ui';

/** Name → where the host uses it. */
export const RESERVED_PLUGIN_NAMES: ReadonlyMap<string, string> = new Map([
  // src/ui/panel-messages.ts and src/host/dispatcher.ts
  [PANEL_SOURCE, 'actions from plugin panels arrive as on_plugin_event with source_plugin "ui", and the trace shows host messages about panels under "ui"'],
]);
