import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/**
 * A file holding secrets the CLI or the proxy will not use, naming the file: `unsafe` (another
 * user owns it, or others may read it), `damaged` (unreadable contents), `other-account` (not
 * SCRIBE_USERNAME's).
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

/** A private file is read whole; anything bigger than this is not one. */
const maxBytes = 64 * 1024;

/**
 * The text of a file only its owner may read (`what` names it in errors: "the session file");
 * undefined when it does not exist. Refuses (SessionFileError `unsafe`) a file another user owns
 * or that group or others may read or write, so nothing planted or exposed is ever used.
 */
export async function readPrivateFile(path: string, what: string): Promise<string | undefined> {
  let handle;
  try {
    // Non-blocking: a FIFO planted at the path would otherwise hold open(2) until someone
    // writes to it (it is then refused as not a file). Symlinks are followed: mounted secrets
    // are symlinks, and what they lead to is checked below.
    handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  try {
    // Checked on the open file, so what is checked is what is read.
    const stat = await handle.stat();
    if (!stat.isFile() || stat.size > maxBytes) {
      throw new SessionFileError(
        'damaged',
        `${what} ${path} is not ${what.replace(/^the /, 'a ')}`,
      );
    }
    const uid = process.getuid?.();
    if (uid !== undefined && stat.uid !== uid) {
      throw new SessionFileError(
        'unsafe',
        `${what} ${path} belongs to uid ${stat.uid}, not to this user (uid ${uid}): refusing a file someone else may have placed`,
      );
    }
    if ((stat.mode & 0o077) !== 0) {
      const mode = (stat.mode & 0o777).toString(8).padStart(4, '0');
      throw new SessionFileError(
        'unsafe',
        `${what} ${path} is open to group or others (mode ${mode}): chmod 600 ${path}`,
      );
    }
    return await handle.readFile('utf8');
  } finally {
    await handle.close();
  }
}

/**
 * Write a private file atomically with mode 0600: a temp file beside it (created 0600, so the
 * secret is never readable by others even for a moment), flushed, then renamed over the old one.
 * Writers racing each other each rename a whole file: the last one wins, none is torn. On any
 * failure (a full disk, a failed rename) the temp file is removed.
 */
export async function writePrivateFile(path: string, text: string): Promise<void> {
  const temp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  const handle = await open(temp, 'wx', 0o600);
  try {
    try {
      await handle.writeFile(text);
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
