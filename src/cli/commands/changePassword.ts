import { isChallenge } from '../../auth/index.js';
import {
  cognitoOptions,
  logIn,
  loginOptions,
  newPasswordInput,
  secretInput,
} from '../authOptions.js';
import { cognitoCommand } from '../cognitoCommand.js';
import { UsageError } from '../usage.js';

/** `scribe-proxy change-password`: log in (MFA included) and change the password. */
export const changePasswordCommand = cognitoCommand({
  usage: 'Usage: scribe-proxy change-password --client-id ID --username NAME',
  summary:
    'Change a password (a temporary one too). The current password comes from SCRIBE_PASSWORD or a\nprompt, the new one from SCRIBE_NEW_PASSWORD or a prompt.',
  specs: [...cognitoOptions, ...loginOptions.filter((o) => o.flag !== 'refresh-token')],
  required: ['client-id', 'username'],
  prepare: async (values) => {
    const username = values['username'] as string;
    values['password'] = await secretInput(
      values,
      'password',
      'SCRIBE_PASSWORD',
      `Current password for ${username}: `,
    );
    values['new-password'] = await newPasswordInput(values);
  },
  run: async (auth, values) => {
    const username = values['username'] as string;
    const password = values['password'] as string;
    const newPassword = values['new-password'] as string;
    const first = await auth.getTokens({ username, password });
    if (isChallenge(first) && first.challengeName === 'NEW_PASSWORD_REQUIRED') {
      await auth.respondToNewPasswordChallenge(first.username, first.session, newPassword);
    } else {
      // logIn answers MFA the usual way; the password it uses is the current one.
      const tokens = isChallenge(first) ? await logIn(auth, values) : first;
      if (isChallenge(tokens)) throw new UsageError('unexpected challenge');
      await auth.changePasswordWithToken(tokens.accessToken, password, newPassword);
    }
    return { changed: true, username };
  },
});
