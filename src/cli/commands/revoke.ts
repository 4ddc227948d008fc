import { deleteSessionFile, readSessionFile } from '../../session/index.js';
import { cognitoOptions, sessionFileOption } from '../authOptions.js';
import { cognitoCommand } from '../cognitoCommand.js';
import { UsageError } from '../usage.js';

/** `scribe-proxy revoke`: revoke the refresh token and delete the session file. */
export const revokeCommand = cognitoCommand({
  usage: 'Usage: scribe-proxy revoke --client-id ID (--session-file FILE | --refresh-token TOKEN)',
  summary:
    'Revoke a refresh token (and the tokens issued from it) at Cognito. With a session file, the\ntoken is read from it and the file is deleted. Federated credentials already issued stay valid\nat AWS until they expire (an hour at most).',
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
  prepare: async (values) => {
    const file = values['session-file'];
    const saved = file ? (await readSessionFile(file))?.refreshToken : undefined;
    // Two sources (the file, and a token from a flag, the environment or .env) must agree:
    // revoking one and deleting the file that holds the other would leave a live, untracked token.
    if (saved && values['refresh-token'] && values['refresh-token'] !== saved) {
      throw new UsageError(
        `the session file ${file as string} holds another refresh token than --refresh-token / SCRIBE_REFRESH_TOKEN (environment or .env): give only one of them`,
      );
    }
    values['refresh-token'] = saved ?? values['refresh-token'];
    if (!values['refresh-token']) {
      throw new UsageError(
        'nothing to revoke: give --session-file with a saved session, or --refresh-token',
      );
    }
  },
  run: async (auth, values) => {
    const file = values['session-file'];
    await auth.revokeRefreshToken(values['refresh-token'] as string);
    if (file) await deleteSessionFile(file);
    return { revoked: true, ...(file ? { deleted: file } : {}) };
  },
});
