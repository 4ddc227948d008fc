import { cognitoOptions, logIn, loginOptions } from '../authOptions.js';
import { cognitoCommand } from '../cognitoCommand.js';

/** `scribe-proxy tokens`: what `python -m scribeauth` does. */
export const tokensCommand = cognitoCommand({
  usage: 'Usage: scribe-proxy tokens --client-id ID --username NAME [options]',
  summary:
    'Log in to Scribe (password or refresh token, MFA prompt included) and print the tokens as JSON.',
  specs: [...cognitoOptions, ...loginOptions],
  required: ['client-id'],
  run: async (auth, values) => {
    const tokens = await logIn(auth, values);
    return { ...tokens, expiresAt: tokens.expiresAt.toISOString() };
  },
});
