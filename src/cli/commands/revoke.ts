import { deleteCredentialCache } from '../../session/credentialCache.js';
import { deleteSessionFile, readSessionFile } from '../../session/sessionFile.js';
import { cognitoOptions, sessionFileOption } from '../authOptions.js';
import { cognitoCommand } from '../cognitoCommand.js';
import { credentialCachePath } from '../credentialCachePath.js';
import { applySessionSettings } from '../sessionSettings.js';
import { UsageError } from '../usage.js';

/** Where the values carry the session file's token (not a flag). */
const savedTokenKey = ' saved-token';

/** `scribe-proxy revoke`: revoke the refresh token and delete the session file. */
export const revokeCommand = cognitoCommand({
  usage: 'Usage: scribe-proxy revoke (--session-file FILE | --client-id ID --refresh-token TOKEN)',
  summary:
    'Revoke a refresh token (and the tokens issued from it) at Cognito. With a session file, the\ntoken (and the client id) is read from it, and the file and its cached credentials are deleted.\nFederated credentials already issued stay valid at AWS until they expire (an hour at most).',
  specs: [
    ...cognitoOptions,
    {
      flag: 'refresh-token',
      env: 'SCRIBE_REFRESH_TOKEN',
      help: 'the refresh token to revoke',
      secret: true,
    },
    sessionFileOption,
  ],
  required: ['client-id'],
  settle: async (values) => {
    const file = values['session-file'];
    const saved = file ? await readSessionFile(file) : undefined;
    if (!file || !saved) return;
    applySessionSettings(values, saved, file);
    values[savedTokenKey] = saved.refreshToken;
  },
  prepare: (values) => {
    const saved = values[savedTokenKey];
    // Two sources (the file, and a token from a flag, the environment or .env) must agree:
    // revoking one and deleting the file that holds the other would leave a live, untracked token.
    if (saved && values['refresh-token'] && values['refresh-token'] !== saved) {
      throw new UsageError(
        `the session file ${values['session-file'] as string} holds another refresh token than --refresh-token / SCRIBE_REFRESH_TOKEN (environment or .env): give only one of them`,
      );
    }
    values['refresh-token'] = saved ?? values['refresh-token'];
    if (!values['refresh-token']) {
      throw new UsageError(
        'nothing to revoke: give --session-file with a saved session, or --refresh-token',
      );
    }
    return Promise.resolve();
  },
  run: async (auth, values) => {
    const file = values['session-file'];
    await auth.revokeRefreshToken(values['refresh-token'] as string);
    if (file) {
      await deleteSessionFile(file);
      // Credentials already issued stay valid at AWS: at least this machine stops handing them out.
      await deleteCredentialCache(credentialCachePath(file));
    }
    return { revoked: true, ...(file ? { deleted: file } : {}) };
  },
});
