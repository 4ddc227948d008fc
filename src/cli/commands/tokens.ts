import { authFrom, cognitoOptions, logIn, loginOptions } from '../authOptions.js';
import { helpText, parseOptions, requireOptions } from '../options.js';

const specs = [...cognitoOptions, ...loginOptions];

export const tokensHelp = helpText(
  'Usage: scribe-proxy tokens --client-id ID --username NAME [options]',
  'Log in to Scribe (password or refresh token, MFA prompt included) and print the tokens as JSON.',
  specs,
);

/** `scribe-proxy tokens`: what `python -m scribeauth` does. */
export async function tokensCommand(argv: string[], print: (text: string) => void): Promise<void> {
  const values = parseOptions(argv, specs);
  if (values['help']) return print(tokensHelp);
  requireOptions(values, specs, ['client-id']);
  const auth = authFrom(values);
  try {
    const tokens = await logIn(auth, values);
    print(JSON.stringify({ ...tokens, expiresAt: tokens.expiresAt.toISOString() }, null, 2));
  } finally {
    auth.destroy();
  }
}
