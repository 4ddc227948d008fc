import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import { exitCodes, PromptAborted } from './usage.js';

/** True when both ends are a terminal, so a prompt can be answered. */
export function canPrompt(): boolean {
  return Boolean(process.stdin.isTTY && process.stderr.isTTY);
}

/**
 * Ask a question on the terminal; with `hidden`, what is typed is not echoed. Ctrl-C rejects with
 * PromptAborted(130), Ctrl-D (end of input) with PromptAborted(1).
 */
export function ask(question: string, hidden = false): Promise<string> {
  let muted = false;
  const output = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      if (!muted) process.stderr.write(chunk);
      callback();
    },
  });
  const rl = createInterface({ input: process.stdin, output, terminal: true });
  return new Promise((resolve, reject) => {
    let settled = false;
    const abort = (exitCode: number) => {
      if (settled) return;
      settled = true;
      rl.close();
      process.stderr.write('\n');
      reject(new PromptAborted(exitCode));
    };
    rl.on('SIGINT', () => abort(exitCodes.interrupted));
    rl.on('close', () => abort(exitCodes.failed));
    rl.question(question, (answer) => {
      settled = true;
      rl.close();
      if (hidden) process.stderr.write('\n');
      resolve(answer.trim());
    });
    muted = hidden;
  });
}

/** Tries at typing a new password the same way twice before giving up. */
const newPasswordTries = 3;

/**
 * A new password, asked twice (hidden) so a typo cannot lock the account out; a mismatch asks
 * again, and after three the command fails.
 */
export async function askNewPassword(question: string): Promise<string | undefined> {
  for (let attempt = 1; attempt <= newPasswordTries; attempt++) {
    const first = await ask(question, true);
    if (!first) return undefined;
    const again = await ask('Type the new password again: ', true);
    if (first === again) return first;
    process.stderr.write(
      attempt < newPasswordTries ? 'The passwords do not match; try again.\n' : '',
    );
  }
  return undefined;
}
