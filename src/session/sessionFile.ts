import { rm } from 'node:fs/promises';
import { readPrivateFile, SessionFileError, writePrivateFile } from './privateFile.js';

export { SessionFileError } from './privateFile.js';

/**
 * Where the session's refresh token belongs, kept beside it so that the file alone is enough to
 * use it from any directory: the pools, the client, the region, the endpoints in use (a sandbox's
 * session keeps working), and the identity id. Ids and addresses only: never a password or the
 * client secret. Every field is optional; a file without them (an older one) takes them from the
 * configuration.
 */
export interface SessionSettings {
  clientId?: string | undefined;
  userPoolId?: string | undefined;
  identityPoolId?: string | undefined;
  region?: string | undefined;
  cognitoEndpoint?: string | undefined;
  identityEndpoint?: string | undefined;
  identityId?: string | undefined;
}

/** The names of SessionSettings, in the order they are written. */
export const sessionSettingNames = [
  'clientId',
  'userPoolId',
  'identityPoolId',
  'region',
  'cognitoEndpoint',
  'identityEndpoint',
  'identityId',
] as const satisfies ReadonlyArray<keyof SessionSettings>;

/** The refresh token kept across restarts, in a file only its owner can read. */
export interface SessionFileContents extends SessionSettings {
  refreshToken: string;
  username?: string | undefined;
  savedAt: string;
}

/** A setting longer than this is not an id or an address. */
const maxSettingLength = 2048;

/**
 * Read the session file; undefined when it does not exist. Refuses (SessionFileError) a file
 * another user owns or that group or others may read or write, and damaged contents.
 */
export async function readSessionFile(path: string): Promise<SessionFileContents | undefined> {
  const text = await readPrivateFile(path, 'the session file');
  return text === undefined ? undefined : parseContents(path, text);
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
  const fields = value as Record<string, unknown>;
  const { refreshToken, username, savedAt } = fields;
  if (typeof refreshToken !== 'string' || !refreshToken) throw damaged('no refresh token');
  const settings: SessionSettings = {};
  for (const name of sessionSettingNames) {
    const setting = fields[name];
    if (setting === undefined) continue;
    if (typeof setting !== 'string' || !setting || setting.length > maxSettingLength) {
      throw damaged(`${name} is not an id or an address`);
    }
    settings[name] = setting;
  }
  return {
    refreshToken,
    username: typeof username === 'string' ? username : undefined,
    savedAt: typeof savedAt === 'string' ? savedAt : '',
    ...settings,
  };
}

/**
 * Write the session file atomically with mode 0600 (see writePrivateFile); settings left
 * undefined are not written.
 */
export async function writeSessionFile(
  path: string,
  contents: Omit<SessionFileContents, 'savedAt'>,
): Promise<void> {
  await writePrivateFile(path, JSON.stringify({ ...contents, savedAt: new Date().toISOString() }));
}

/** Delete the session file (revocation); a missing file is fine. */
export async function deleteSessionFile(path: string): Promise<void> {
  await rm(path, { force: true });
}
