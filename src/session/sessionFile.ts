import { randomBytes } from 'node:crypto';
import { open, readFile, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** The refresh token kept across restarts, in a file only its owner can read. */
export interface SessionFileContents {
  refreshToken: string;
  username?: string | undefined;
  savedAt: string;
}

/** Read the session file; undefined when it does not exist. Throws on unreadable contents. */
export async function readSessionFile(path: string): Promise<SessionFileContents | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  const value = JSON.parse(text) as Partial<SessionFileContents>;
  if (typeof value.refreshToken !== 'string' || !value.refreshToken) {
    throw new Error(`the session file ${path} holds no refresh token`);
  }
  return {
    refreshToken: value.refreshToken,
    username: typeof value.username === 'string' ? value.username : undefined,
    savedAt: typeof value.savedAt === 'string' ? value.savedAt : '',
  };
}

/**
 * Write the session file atomically with mode 0600: a temp file beside it (created 0600, so the
 * token is never readable by others even for a moment), flushed, then renamed over the old one.
 */
export async function writeSessionFile(
  path: string,
  contents: Omit<SessionFileContents, 'savedAt'>,
): Promise<void> {
  const temp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  const handle = await open(temp, 'wx', 0o600);
  try {
    await handle.writeFile(JSON.stringify({ ...contents, savedAt: new Date().toISOString() }));
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await rename(temp, path);
  } catch (err) {
    await rm(temp, { force: true });
    throw err;
  }
}

/** Delete the session file (revocation); a missing file is fine. */
export async function deleteSessionFile(path: string): Promise<void> {
  await rm(path, { force: true });
}
