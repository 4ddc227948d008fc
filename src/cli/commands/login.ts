import { writeSessionFile } from '../../session/index.js';
import {
  authFrom,
  cognitoOptions,
  logIn,
  loginOptions,
  sessionFileOption,
} from '../authOptions.js';
import { helpText, parseOptions, requireOptions } from '../options.js';
import { ask, canPrompt } from '../prompt.js';

const specs = [...cognitoOptions, ...loginOptions, sessionFileOption];

export const loginHelp = helpText(
  'Usage: scribe-proxy login --client-id ID --session-file FILE [--username NAME]',
  'Log in interactively (password, MFA code, new password when temporary) and write the refresh\ntoken to the session file, so a proxy can start without a password in its environment.',
  specs,
);

/** `scribe-proxy login`: log in and write the session file. */
export async function loginCommand(argv: string[], print: (text: string) => void): Promise<void> {
  const values = parseOptions(argv, specs);
  if (values['help']) return print(loginHelp);
  requireOptions(values, specs, ['client-id', 'session-file']);
  if (!values['username'] && !values['refresh-token'] && canPrompt()) {
    values['username'] = await ask('Username: ');
  }
  const auth = authFrom(values);
  try {
    const tokens = await logIn(auth, values);
    const file = values['session-file'] as string;
    await writeSessionFile(file, {
      refreshToken: tokens.refreshToken,
      username: values['username'],
    });
    print(
      JSON.stringify(
        {
          loggedIn: true,
          username: values['username'],
          sessionFile: file,
          expiresAt: tokens.expiresAt.toISOString(),
        },
        null,
        2,
      ),
    );
  } finally {
    auth.destroy();
  }
}
