/** A mistake in how a command was called: one line on stderr and exit code 2. */
export class UsageError extends Error {}

/** The exit codes of every command. */
export const exitCodes = { ok: 0, failed: 1, usage: 2, interrupted: 130 } as const;

/**
 * A prompt left unanswered: Ctrl-C (exit 130, as a shell reports SIGINT) or Ctrl-D, the end of
 * input (exit 1). Nothing was done, and a script's `&&` must not go on.
 */
export class PromptAborted extends Error {
  constructor(readonly exitCode: number) {
    super(exitCode === exitCodes.interrupted ? 'interrupted' : 'no answer (end of input)');
    this.name = 'PromptAborted';
  }
}
