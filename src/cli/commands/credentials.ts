import { ScribeAuthError } from '../../auth/errors.js';
import type { FederatedCredentials, ScribeAuth } from '../../auth/index.js';
import {
  credentialCacheBinding,
  freshCachedCredentials,
  readCredentialCache,
  writeCredentialCache,
} from '../../session/credentialCache.js';
import { loadSavedSession } from '../../session/savedSession.js';
import { cognitoOptions, identityOptions, loginOptions } from '../cognitoOptionSpecs.js';
import { cognitoCommand } from '../cognitoCommand.js';
import { credentialCachePath } from '../credentialCachePath.js';
import { applySessionSettings, defaultRegion } from '../sessionSettings.js';
import { UsageError } from '../usage.js';
import { resolve } from 'node:path';

/** Where the values carry what the session file knows beyond options (not flags). */
const identityIdKey = ' identity-id';
const cacheKey = ' cache';

/** `scribe-proxy credentials`: log in and print federated credentials. */
export const credentialsCommand = cognitoCommand({
  usage:
    'Usage: scribe-proxy credentials (--session-file FILE | --client-id ID --user-pool-id ID --identity-pool-id ID --username NAME) [--format json|process]',
  summary:
    'Log in, then print the federated AWS credentials for Scribe API v1 as JSON. With --format process,\nprint them as an AWS credential_process answers, so the aws CLI and every AWS SDK can use them:\n  credential_process = scribe-proxy credentials --format process --session-file /path/session.json\nWith a session file written by scribe-proxy login, nothing else is needed, and the credentials are\ncached (0600, in the XDG cache directory) until 15 minutes before they expire.',
  specs: [
    ...cognitoOptions,
    ...identityOptions,
    ...loginOptions,
    {
      flag: 'session-file',
      env: 'SCRIBE_SESSION_FILE',
      help: 'log in with the refresh token and settings kept in this file (written by scribe-proxy login)',
    },
    { flag: 'format', help: 'json (default) or process (the AWS credential_process format)' },
  ],
  required: ['client-id', 'user-pool-id', 'identity-pool-id'],
  settle: async (values) => {
    const format = values['format'] ?? 'json';
    if (format !== 'json' && format !== 'process') {
      throw new UsageError('--format must be json or process');
    }
    const file = values['session-file'];
    if (!file || values['refresh-token']) return;
    // Refused, as the proxy refuses it, when it holds another account than SCRIBE_USERNAME.
    const saved = await loadSavedSession(file, {
      username: values['username'],
      hasPassword: false,
    });
    if (!saved) throw new UsageError(`no session file at ${file}: run scribe-proxy login first`);
    applySessionSettings(values, saved, file);
    values['refresh-token'] = saved.refreshToken;
    values['username'] ??= saved.username;
    values[identityIdKey] = saved.identityId;
    values[cacheKey] = credentialCachePath(file);
  },
  answerWithoutCognito: async (values) => {
    const path = values[cacheKey];
    if (!path) return undefined;
    const entry = await readCredentialCache(path, cacheBinding(values));
    values[identityIdKey] ??= entry?.identityId;
    const fresh = freshCachedCredentials(entry);
    return entry && fresh ? answer(values, entry.identityId, fresh) : undefined;
  },
  run: async (auth, values) => {
    const { logIn } = await import('../authOptions.js');
    const tokens = await logIn(auth, values);
    const { identityId, credentials } = await federated(
      auth,
      values[identityIdKey],
      tokens.idToken,
    );
    const path = values[cacheKey];
    if (path) {
      await writeCredentialCache(path, cacheBinding(values), { identityId, credentials }).catch(
        (err: unknown) =>
          process.stderr.write(
            `scribe-proxy credentials: could not cache the credentials (${(err as Error).message}); the next call asks Cognito again\n`,
          ),
      );
    }
    return answer(values, identityId, credentials);
  },
});

/**
 * The identity id and its credentials. A kept identity id saves a GetId (limited to 25 calls a
 * second across all of Scribe's clients); when Cognito no longer knows it (the identity was
 * deleted) or gives it to no one logged in so, GetId is asked once, as with no kept id.
 */
async function federated(
  auth: ScribeAuth,
  kept: string | undefined,
  idToken: string,
): Promise<{ identityId: string; credentials: FederatedCredentials }> {
  if (kept) {
    try {
      return { identityId: kept, credentials: await auth.getFederatedCredentials(kept, idToken) };
    } catch (err) {
      const stale = err instanceof ScribeAuthError && staleIdentity.has(err.cognitoName ?? '');
      if (!stale) throw err;
    }
  }
  const identityId = await auth.getFederatedId(idToken);
  return { identityId, credentials: await auth.getFederatedCredentials(identityId, idToken) };
}

/** Cognito's answers to an identity id it no longer has, or that is not this login's. */
const staleIdentity = new Set(['ResourceNotFoundException', 'NotAuthorizedException']);

/** What the cache is bound to: the session file, its token and account, the pools, the endpoints. */
function cacheBinding(values: Record<string, string | undefined>): string {
  return credentialCacheBinding({
    sessionFile: resolve(values['session-file'] ?? ''),
    refreshToken: values['refresh-token'],
    username: values['username']?.toLowerCase(),
    clientId: values['client-id'],
    userPoolId: values['user-pool-id'],
    identityPoolId: values['identity-pool-id'],
    region: values['region'] ?? defaultRegion,
    cognitoEndpoint: values['cognito-endpoint'],
    identityEndpoint: values['identity-endpoint'],
  });
}

/** The answer in the format asked for. */
function answer(
  values: Record<string, string | undefined>,
  identityId: string,
  credentials: FederatedCredentials,
): object {
  if (values['format'] === 'process') {
    // https://docs.aws.amazon.com/sdkref/latest/guide/feature-process-credentials.html
    return {
      Version: 1,
      AccessKeyId: credentials.accessKeyId,
      SecretAccessKey: credentials.secretKey,
      SessionToken: credentials.sessionToken,
      Expiration: credentials.expiration.toISOString(),
    };
  }
  return { identityId, ...credentials, expiration: credentials.expiration.toISOString() };
}
