import { cognitoOptions, logIn, loginOptions } from '../authOptions.js';
import { cognitoCommand } from '../cognitoCommand.js';

/** `scribe-proxy credentials`: log in and print federated credentials. */
export const credentialsCommand = cognitoCommand({
  usage:
    'Usage: scribe-proxy credentials --client-id ID --user-pool-id ID --identity-pool-id ID --username NAME',
  summary: 'Log in, then print the federated AWS credentials for Scribe API v1 as JSON.',
  specs: [
    ...cognitoOptions,
    { flag: 'identity-pool-id', env: 'SCRIBE_IDENTITY_POOL_ID', help: 'identity pool id' },
    {
      flag: 'identity-endpoint',
      env: 'SCRIBE_IDENTITY_ENDPOINT',
      help: 'Cognito Identity endpoint override (sandbox, tests)',
    },
    ...loginOptions,
  ],
  required: ['client-id', 'user-pool-id', 'identity-pool-id'],
  run: async (auth, values) => {
    const tokens = await logIn(auth, values);
    const identityId = await auth.getFederatedId(tokens.idToken);
    const credentials = await auth.getFederatedCredentials(identityId, tokens.idToken);
    return { identityId, ...credentials, expiration: credentials.expiration.toISOString() };
  },
});
