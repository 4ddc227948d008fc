import { cognitoOptions, newPasswordInput, newPasswordOption } from '../authOptions.js';
import { cognitoCommand } from '../cognitoCommand.js';
import type { OptionSpec } from '../options.js';

const username: OptionSpec = { flag: 'username', env: 'SCRIBE_USERNAME', help: 'username' };

/** `scribe-proxy forgot-password`: send the reset code. */
export const forgotPasswordCommand = cognitoCommand({
  usage: 'Usage: scribe-proxy forgot-password --client-id ID --username NAME',
  summary: 'Send a password-reset code to the user (by email or SMS, as the pool is set up).',
  specs: [...cognitoOptions, username],
  required: ['client-id', 'username'],
  run: async (auth, values) => ({
    sent: true,
    ...(await auth.requestPasswordReset(values['username'] as string)),
  }),
});

/** `scribe-proxy confirm-password`: set the new password with the code. */
export const confirmPasswordCommand = cognitoCommand({
  usage: 'Usage: scribe-proxy confirm-password --client-id ID --username NAME --code CODE',
  summary:
    'Set a new password with the code from forgot-password. The new password comes from\nSCRIBE_NEW_PASSWORD or a prompt.',
  specs: [
    ...cognitoOptions,
    username,
    { flag: 'code', help: 'the code Cognito sent' },
    newPasswordOption,
  ],
  required: ['client-id', 'username', 'code'],
  prepare: async (values) => {
    values['new-password'] = await newPasswordInput(values);
  },
  run: async (auth, values) => {
    const user = values['username'] as string;
    await auth.forgotPassword(user, values['new-password'] as string, values['code'] as string);
    return { changed: true, username: user };
  },
});
