/** A mistake in how a command was called: one line on stderr and exit code 2. */
export class UsageError extends Error {}

/** The exit codes of every command. */
export const exitCodes = { ok: 0, failed: 1, usage: 2 } as const;
