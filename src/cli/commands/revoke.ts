import { deleteSessionFile, readSessionFile } from '../../session/index.js';
import { authFrom, cognitoOptions, sessionFileOption } from '../authOptions.js';
import { helpText, parseOptions, requireOptions, type OptionSpec } from '../options.js';
import { UsageError } from '../usage.js';

const specs: OptionSpec[] = [
  ...cognitoOptions,
  {
    flag: 'refresh-token',
    env: 'SCRIBE_REFRESH_TOKEN',
    help: 'the refresh token to revoke',
  },
  sessionFileOption,
];

export const revokeHelp = helpText(
  'Usage: scribe-proxy revoke --client-id ID (--session-file FILE | --refresh-token TOKEN)',
  'Revoke a refresh token (and the tokens issued from it) at Cognito. With a session file, the\ntoken is read from it and the file is deleted. Federated credentials already issued stay valid\nat AWS until they expire (an hour at most).',
  specs,
);

/** `scribe-proxy revoke`: revoke the refresh token and delete the session file. */
export async function revokeCommand(argv: string[], print: (text: string) => void): Promise<void> {
  const values = parseOptions(argv, specs);
  if (values['help']) return print(revokeHelp);
  requireOptions(values, specs, ['client-id']);
  const file = values['session-file'];
  const token =
    values['refresh-token'] ?? (file ? (await readSessionFile(file))?.refreshToken : undefined);
  if (!token) {
    throw new UsageError(
      'nothing to revoke: give --session-file with a saved session, or --refresh-token',
    );
  }
  const auth = authFrom(values);
  try {
    await auth.revokeRefreshToken(token);
    if (file) await deleteSessionFile(file);
    print(JSON.stringify({ revoked: true, ...(file ? { deleted: file } : {}) }, null, 2));
  } finally {
    auth.destroy();
  }
}
