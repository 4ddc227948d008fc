import { authFrom, cognitoOptions, newPasswordOption, secretInput } from '../authOptions.js';
import { helpText, parseOptions, requireOptions, type OptionSpec } from '../options.js';

const username: OptionSpec = { flag: 'username', env: 'SCRIBE_USERNAME', help: 'username' };
const forgotSpecs = [...cognitoOptions, username];
const confirmSpecs: OptionSpec[] = [
  ...cognitoOptions,
  username,
  { flag: 'code', help: 'the code Cognito sent' },
  newPasswordOption,
];

export const forgotPasswordHelp = helpText(
  'Usage: scribe-proxy forgot-password --client-id ID --username NAME',
  'Send a password-reset code to the user (by email or SMS, as the pool is set up).',
  forgotSpecs,
);

export const confirmPasswordHelp = helpText(
  'Usage: scribe-proxy confirm-password --client-id ID --username NAME --code CODE',
  'Set a new password with the code from forgot-password. The new password comes from\nSCRIBE_NEW_PASSWORD or a prompt.',
  confirmSpecs,
);

/** `scribe-proxy forgot-password`: send the reset code. */
export async function forgotPasswordCommand(
  argv: string[],
  print: (text: string) => void,
): Promise<void> {
  const values = parseOptions(argv, forgotSpecs);
  if (values['help']) return print(forgotPasswordHelp);
  requireOptions(values, forgotSpecs, ['client-id', 'username']);
  const auth = authFrom(values);
  try {
    const delivery = await auth.requestPasswordReset(values['username'] as string);
    print(JSON.stringify({ sent: true, ...delivery }, null, 2));
  } finally {
    auth.destroy();
  }
}

/** `scribe-proxy confirm-password`: set the new password with the code. */
export async function confirmPasswordCommand(
  argv: string[],
  print: (text: string) => void,
): Promise<void> {
  const values = parseOptions(argv, confirmSpecs);
  if (values['help']) return print(confirmPasswordHelp);
  requireOptions(values, confirmSpecs, ['client-id', 'username', 'code']);
  const newPassword = await secretInput(
    values,
    newPasswordOption.flag,
    'SCRIBE_NEW_PASSWORD',
    'New password: ',
  );
  const auth = authFrom(values);
  try {
    await auth.forgotPassword(values['username'] as string, newPassword, values['code'] as string);
    print(JSON.stringify({ changed: true, username: values['username'] }, null, 2));
  } finally {
    auth.destroy();
  }
}
