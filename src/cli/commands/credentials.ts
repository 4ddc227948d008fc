import { authFrom, cognitoOptions, logIn, loginOptions } from '../authOptions.js';
import { helpText, parseOptions, requireOptions, type OptionSpec } from '../options.js';

const specs: OptionSpec[] = [
  ...cognitoOptions,
  { flag: 'identity-pool-id', env: 'SCRIBE_IDENTITY_POOL_ID', help: 'identity pool id' },
  {
    flag: 'identity-endpoint',
    env: 'SCRIBE_IDENTITY_ENDPOINT',
    help: 'Cognito Identity endpoint override (sandbox, tests)',
  },
  ...loginOptions,
];

export const credentialsHelp = helpText(
  'Usage: scribe-proxy credentials --client-id ID --user-pool-id ID --identity-pool-id ID --username NAME',
  'Log in, then print the federated AWS credentials for Scribe API v1 as JSON.',
  specs,
);

/** `scribe-proxy credentials`: log in and print federated credentials. */
export async function credentialsCommand(
  argv: string[],
  print: (text: string) => void,
): Promise<void> {
  const values = parseOptions(argv, specs);
  if (values['help']) return print(credentialsHelp);
  requireOptions(values, specs, ['client-id', 'user-pool-id', 'identity-pool-id']);
  const auth = authFrom(values);
  try {
    const tokens = await logIn(auth, values);
    const identityId = await auth.getFederatedId(tokens.idToken);
    const credentials = await auth.getFederatedCredentials(identityId, tokens.idToken);
    print(
      JSON.stringify(
        { identityId, ...credentials, expiration: credentials.expiration.toISOString() },
        null,
        2,
      ),
    );
  } finally {
    auth.destroy();
  }
}
