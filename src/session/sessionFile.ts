import { randomBytes } from 'node:crypto';
import { open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** The refresh token kept across restarts, in a file only its owner can read. */
export interface SessionFileContents {
  refreshToken: string;
  username?: string | undefined;
  savedAt: string;
}

/**
 * A session file the proxy will not use, naming the file: `unsafe` (another user owns it, or
 * others may read it), `damaged` (unreadable contents), `other-account` (not SCRIBE_USERNAME's).
 */
export class SessionFileError extends Error {
  constructor(
    readonly kind: 'unsafe' | 'damaged' | 'other-account',
    message: string,
  ) {
    super(message);
    this.name = 'SessionFileError';
  }
}

/** A session file is read whole; anything bigger than this is not one. */
const maxBytes = 64 * 1024;

/**
 * Read the session file; undefined when it does not exist. Refuses (SessionFileError) a file
 * another user owns or that group or others may read or write, and damaged contents.
 */
export async function readSessionFile(path: string): Promise<SessionFileContents | undefined> {
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  let text: string;
  try {
    // Checked on the open file, so what is checked is what is read.
    const stat = await handle.stat();
    if (!stat.isFile() || stat.size > maxBytes) {
      throw new SessionFileError('damaged', `the session file ${path} is not a session file`);
    }
    const uid = process.getuid?.();
    if (uid !== undefined && stat.uid !== uid) {
      throw new SessionFileError(
        'unsafe',
        `the session file ${path} belongs to uid ${stat.uid}, not to this user (uid ${uid}): refusing a token someone else may have placed`,
      );
    }
    if ((stat.mode & 0o077) !== 0) {
      const mode = (stat.mode & 0o777).toString(8).padStart(4, '0');
      throw new SessionFileError(
        'unsafe',
        `the session file ${path} is open to group or others (mode ${mode}): chmod 600 ${path}`,
      );
    }
    text = await handle.readFile('utf8');
  } finally {
    await handle.close();
  }
  return parseContents(path, text);
}

/** The contents of a session file; a leading BOM (an editor's) is ignored. */
function parseContents(path: string, text: string): SessionFileContents {
  const damaged = (why: string) =>
    new SessionFileError('damaged', `the session file ${path} is damaged (${why})`);
  let value: unknown;
  try {
    value = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch {
    throw damaged(text.trim() ? 'not JSON' : 'empty');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw damaged('not a JSON object');
  }
  const { refreshToken, username, savedAt } = value as Record<string, unknown>;
  if (typeof refreshToken !== 'string' || !refreshToken) throw damaged('no refresh token');
  return {
    refreshToken,
    username: typeof username === 'string' ? username : undefined,
    savedAt: typeof savedAt === 'string' ? savedAt : '',
  };
}

/**
 * Write the session file atomically with mode 0600: a temp file beside it (created 0600, so the
 * token is never readable by others even for a moment), flushed, then renamed over the old one.
 * On any failure (a full disk, a failed rename) the temp file is removed.
 */
export async function writeSessionFile(
  path: string,
  contents: Omit<SessionFileContents, 'savedAt'>,
): Promise<void> {
  const temp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  const handle = await open(temp, 'wx', 0o600);
  try {
    try {
      await handle.writeFile(JSON.stringify({ ...contents, savedAt: new Date().toISOString() }));
      await handle.sync();
    } finally {
      await handle.close();
    }
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
