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
