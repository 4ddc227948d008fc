import { createHash } from 'node:crypto';
import { mkdir, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { FederatedCredentials } from '../auth/index.js';
import { readPrivateFile, writePrivateFile } from './privateFile.js';

/**
 * Cached credentials are served only while they stay valid at least this much longer. AWS SDKs
 * refresh ahead of expiry (botocore 15 minutes ahead, 10 at the latest; the JavaScript SDK 5), so
 * an answer inside that window would make the SDK run the helper again on every call.
 */
export const credentialCacheMarginMs = 15 * 60_000;

/** Federated credentials, as ScribeAuth gives them. */
export type CachedCredentials = FederatedCredentials;

/** What the cache holds for one session: its identity id, and its latest credentials. */
export interface CredentialCacheEntry {
  identityId: string;
  credentials?: CachedCredentials | undefined;
}

/**
 * What a cache belongs to, as a fingerprint: the session's refresh token, account, pools and
 * endpoints. A cache whose binding differs (another account, a new login, other pools) is not
 * used; the token itself is never written to the cache.
 */
export function credentialCacheBinding(parts: Record<string, string | undefined>): string {
  const entries = Object.entries(parts)
    .filter(([, value]) => value !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : 1));
  return createHash('sha256').update(JSON.stringify(entries)).digest('hex');
}

/**
 * The cache at `path` for `binding`; undefined when there is none, when it is another session's,
 * or when it cannot be read as one (a cache is only ever a shortcut). Refuses (SessionFileError
 * `unsafe`), as the session file is refused, a file another user owns or others may read.
 */
export async function readCredentialCache(
  path: string,
  binding: string,
): Promise<CredentialCacheEntry | undefined> {
  const text = await readPrivateFile(path, 'the credential cache');
  if (text === undefined) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const fields = value as Record<string, unknown>;
  if (fields['binding'] !== binding || !isText(fields['identityId'])) return undefined;
  return { identityId: fields['identityId'], credentials: credentialsFrom(fields['credentials']) };
}

/** Credentials read back from the cache, or undefined when they are not all there. */
function credentialsFrom(value: unknown): CachedCredentials | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { accessKeyId, secretKey, sessionToken, expiration } = value as Record<string, unknown>;
  if (!isText(accessKeyId) || !isText(secretKey) || !isText(sessionToken)) return undefined;
  if (!isText(expiration) || Number.isNaN(Date.parse(expiration))) return undefined;
  return { accessKeyId, secretKey, sessionToken, expiration: new Date(expiration) };
}

function isText(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0;
}

/** The entry's credentials when they stay valid past the margin from `now`; else undefined. */
export function freshCachedCredentials(
  entry: CredentialCacheEntry | undefined,
  now = Date.now(),
): CachedCredentials | undefined {
  const credentials = entry?.credentials;
  if (!credentials) return undefined;
  return credentials.expiration.getTime() - now > credentialCacheMarginMs ? credentials : undefined;
}

/**
 * Write the cache for `binding`, atomically with mode 0600 (as the session file), in a directory
 * made 0700 when missing. Calls racing each other each write a whole cache: the last one wins.
 */
export async function writeCredentialCache(
  path: string,
  binding: string,
  entry: CredentialCacheEntry,
): Promise<void> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const credentials = entry.credentials && {
    ...entry.credentials,
    expiration: entry.credentials.expiration.toISOString(),
  };
  await writePrivateFile(
    path,
    JSON.stringify({ binding, identityId: entry.identityId, credentials }),
  );
}

/** Delete the cache (revocation: the session's credentials must not be served any more). */
export async function deleteCredentialCache(path: string): Promise<void> {
  await rm(path, { force: true });
}
