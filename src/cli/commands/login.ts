import { writeSessionFile } from '../../session/index.js';
import { cognitoOptions, logIn, loginOptions, sessionFileOption } from '../authOptions.js';
import { cognitoCommand } from '../cognitoCommand.js';
import { ask, canPrompt } from '../prompt.js';

/** `scribe-proxy login`: log in and write the session file. */
export const loginCommand = cognitoCommand({
  usage: 'Usage: scribe-proxy login --client-id ID --session-file FILE [--username NAME]',
  summary:
    'Log in interactively (password, MFA code, new password when temporary) and write the refresh\ntoken to the session file, so a proxy can start without a password in its environment.',
  specs: [...cognitoOptions, ...loginOptions, sessionFileOption],
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
    });
    return {
      loggedIn: true,
      username: values['username'],
      sessionFile: file,
      expiresAt: tokens.expiresAt.toISOString(),
    };
  },
});
