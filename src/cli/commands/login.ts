import type { ScribeAuth, Tokens } from '../../auth/index.js';
import { writeSessionFile } from '../../session/index.js';
import { cognitoOptions, logIn, loginOptions, sessionFileOption } from '../authOptions.js';
import { identityOptions } from '../cognitoOptionSpecs.js';
import { cognitoCommand } from '../cognitoCommand.js';
import { ask, canPrompt } from '../prompt.js';
import { sessionSettingsOf } from '../sessionSettings.js';

/** `scribe-proxy login`: log in and write the session file. */
export const loginCommand = cognitoCommand({
  usage: 'Usage: scribe-proxy login --client-id ID --session-file FILE [--username NAME]',
  summary:
    'Log in interactively (password, MFA code, new password when temporary) and write the refresh\ntoken to the session file, so a proxy can start without a password in its environment. The file\nalso keeps the pools, the client id, the region, the endpoints in use and the identity id (never a\npassword), so that scribe-proxy credentials --session-file FILE needs nothing else.',
  specs: [...cognitoOptions, ...identityOptions, ...loginOptions, sessionFileOption],
  required: ['client-id', 'session-file'],
  prepare: async (values) => {
    if (!values['username'] && !values['refresh-token'] && canPrompt()) {
      values['username'] = await ask('Username: ');
    }
  },
  run: async (auth, values) => {
    const tokens = await logIn(auth, values);
    const file = values['session-file'] as string;
    await writeSessionFile(file, {
      refreshToken: tokens.refreshToken,
      username: values['username'],
      ...sessionSettingsOf(values),
      identityId: await identityIdOf(auth, values, tokens),
    });
    return {
      loggedIn: true,
      username: values['username'],
      sessionFile: file,
      expiresAt: tokens.expiresAt.toISOString(),
    };
  },
});

/**
 * The identity id, kept so that `credentials` need not ask for it (GetId is limited to 25 calls
 * a second across all of Scribe's clients); undefined without an identity pool, or when it cannot
 * be had now (said on stderr: `credentials` asks again).
 */
async function identityIdOf(
  auth: ScribeAuth,
  values: Record<string, string | undefined>,
  tokens: Tokens,
): Promise<string | undefined> {
  if (!values['identity-pool-id'] || !values['user-pool-id']) return undefined;
  try {
    return await auth.getFederatedId(tokens.idToken);
  } catch (err) {
    process.stderr.write(
      `scribe-proxy login: logged in, but the identity id could not be had (${(err as Error).message}); scribe-proxy credentials will ask for it\n`,
    );
    return undefined;
  }
}
