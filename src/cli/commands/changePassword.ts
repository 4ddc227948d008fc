import { isChallenge } from '../../auth/index.js';
import {
  authFrom,
  cognitoOptions,
  logIn,
  loginOptions,
  newPasswordOption,
  secretInput,
} from '../authOptions.js';
import { helpText, parseOptions, requireOptions } from '../options.js';
import { UsageError } from '../usage.js';

const specs = [...cognitoOptions, ...loginOptions.filter((o) => o.flag !== 'refresh-token')];

export const changePasswordHelp = helpText(
  'Usage: scribe-proxy change-password --client-id ID --username NAME',
  'Change a password (a temporary one too). The current password comes from SCRIBE_PASSWORD or a\nprompt, the new one from SCRIBE_NEW_PASSWORD or a prompt.',
  specs,
);

/** `scribe-proxy change-password`: log in (MFA included) and change the password. */
export async function changePasswordCommand(
  argv: string[],
  print: (text: string) => void,
): Promise<void> {
  const values = parseOptions(argv, specs);
  if (values['help']) return print(changePasswordHelp);
  requireOptions(values, specs, ['client-id', 'username']);
  const username = values['username'] as string;
  const password = await secretInput(
    values,
    'password',
    'SCRIBE_PASSWORD',
    `Current password for ${username}: `,
  );
  const newPassword = await secretInput(
    values,
    newPasswordOption.flag,
    'SCRIBE_NEW_PASSWORD',
    'New password: ',
  );
  const auth = authFrom(values);
  try {
    const first = await auth.getTokens({ username, password });
    if (isChallenge(first) && first.challengeName === 'NEW_PASSWORD_REQUIRED') {
      await auth.respondToNewPasswordChallenge(first.username, first.session, newPassword);
    } else {
      // logIn answers MFA the usual way; the password it uses is the current one.
      const tokens = isChallenge(first) ? await logIn(auth, { ...values, password }) : first;
      if (isChallenge(tokens)) throw new UsageError('unexpected challenge');
      await auth.changePasswordWithToken(tokens.accessToken, password, newPassword);
    }
    print(JSON.stringify({ changed: true, username }, null, 2));
  } finally {
    auth.destroy();
  }
}
