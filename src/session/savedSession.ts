import { decodeJwt } from 'jose/jwt/decode';
import { readSessionFile, SessionFileError, type SessionFileContents } from './sessionFile.js';

/** What the start-up knows when it reads the session file. */
export interface SavedSessionOptions {
  /** The configured account (SCRIBE_USERNAME), if any. */
  username: string | undefined;
  /** A password is configured: a damaged file can be passed over, the password logs in. */
  hasPassword: boolean;
  /** Told when a damaged file is passed over. */
  warn?: (message: string) => void;
}

/**
 * The session saved in `path`, checked for start-up: refused when unsafe or when it holds
 * another account than the configured one; a damaged file is passed over (with a warning) when a
 * password can log in instead, else refused. Undefined when there is nothing to use.
 */
export async function loadSavedSession(
  path: string,
  options: SavedSessionOptions,
): Promise<SessionFileContents | undefined> {
  let saved: SessionFileContents | undefined;
  try {
    saved = await readSessionFile(path);
  } catch (err) {
    if (!(err instanceof SessionFileError) || err.kind !== 'damaged' || !options.hasPassword) {
      throw err;
    }
    options.warn?.(`${err.message}: logging in with the configured password instead`);
    return undefined;
  }
  if (!saved) return undefined;
  const holder = saved.username ?? usernameClaim(saved.refreshToken);
  if (options.username && holder && !sameUser(holder, options.username)) {
    throw new SessionFileError(
      'other-account',
      `the session file ${path} holds a session of ${holder}, but SCRIBE_USERNAME is ${options.username}: delete the file or revoke it (scribe-proxy revoke --session-file ${path}), or fix SCRIBE_USERNAME`,
    );
  }
  return { ...saved, username: saved.username ?? holder };
}

/**
 * The user a refresh token names, when it is a readable JWT (Cognito's are encrypted, so only
 * what the file stores can tell). Only read to compare names: nothing is trusted from it.
 */
function usernameClaim(token: string): string | undefined {
  try {
    const claims = decodeJwt(token);
    const name = claims['cognito:username'] ?? claims['username'];
    return typeof name === 'string' ? name : undefined;
  } catch {
    return undefined;
  }
}

/** User names compare as the user pool compares them: case-insensitively. */
function sameUser(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}
