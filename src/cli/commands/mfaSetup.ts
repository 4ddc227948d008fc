import { generateURI } from 'otplib';
import { cognitoOptions, logIn, loginOptions } from '../authOptions.js';
import { cognitoCommand } from '../cognitoCommand.js';
import { ask, canPrompt } from '../prompt.js';

/** `scribe-proxy mfa-setup`: associate and verify a TOTP authenticator. */
export const mfaSetupCommand = cognitoCommand({
  usage: 'Usage: scribe-proxy mfa-setup --client-id ID --username NAME [--code CODE]',
  summary:
    'Set up TOTP MFA: prints the secret once and an otpauth:// URI for an authenticator app, then\nasks for a code to verify it. Without a terminal, run it again with --code to finish.',
  specs: [
    ...cognitoOptions,
    ...loginOptions,
    { flag: 'code', help: 'a code from the authenticator, to finish a setup started earlier' },
    { flag: 'device-name', help: 'a name for the authenticator (default scribe-proxy)' },
  ],
  required: ['client-id', 'username'],
  run: async (auth, values, print) => {
    const tokens = await logIn(auth, values);
    let code = values['code'];
    if (!code) {
      const secret = await auth.associateSoftwareToken(tokens.accessToken);
      const uri = generateURI({ issuer: 'Scribe', label: values['username'] as string, secret });
      print(
        JSON.stringify(
          { secret, otpauthUri: uri, next: 'add it to an authenticator app, then enter a code' },
          null,
          2,
        ),
      );
      if (!canPrompt()) {
        // stdout is the JSON alone (a script parses it); sentences go to stderr.
        process.stderr.write(
          'Run scribe-proxy mfa-setup again with --code <code from the app> to finish.\n',
        );
        return undefined;
      }
      code = await ask('Code from the authenticator app: ');
    }
    await auth.verifySoftwareToken(
      tokens.accessToken,
      code,
      values['device-name'] ?? 'scribe-proxy',
    );
    return { mfa: 'enabled', username: values['username'] };
  },
});
