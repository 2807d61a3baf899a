/** Errors shown to the user as they are: the message is a full sentence saying what to do. */
export class InstallError extends Error {
  constructor(
    message: string,
    readonly details: { unsatisfied?: string[]; missing?: string[]; problems?: string[]; wit?: string } = {},
  ) {
    super(message);
    this.name = 'InstallError';
  }
}

/**
 * An upload outside a card's Update… names a plugin that is installed, with a different
 * component: it may be that plugin's next build, or another plugin taking its name (and with
 * it the approvals and config). The user decides; nothing was stored.
 */
export class ReplaceQuestion extends InstallError {
  constructor(
    readonly pluginId: string,
    readonly installedFile: string,
    readonly uploadedFile: string,
  ) {
    super(
      `A plugin named "${pluginId}" is already installed (from ${installedFile}), and ${uploadedFile} is a different component. ` +
        `Replace it? The replacement must be reviewed before it runs, and its config is kept only if you say so.`,
    );
    this.name = 'ReplaceQuestion';
  }
}
