import { cognitoOptions, logIn, loginOptions } from '../authOptions.js';
import { readSessionFile } from '../../session/index.js';
import { cognitoCommand } from '../cognitoCommand.js';
import { UsageError } from '../usage.js';

/** `scribe-proxy credentials`: log in and print federated credentials. */
export const credentialsCommand = cognitoCommand({
  usage:
    'Usage: scribe-proxy credentials --client-id ID --user-pool-id ID --identity-pool-id ID --username NAME [--format json|process]',
  summary:
    'Log in, then print the federated AWS credentials for Scribe API v1 as JSON. With --format process,\nprint them as an AWS credential_process answers, so the aws CLI and every AWS SDK can use them:\n  credential_process = scribe-proxy credentials --format process --session-file /path/session.json',
  specs: [
    ...cognitoOptions,
    { flag: 'identity-pool-id', env: 'SCRIBE_IDENTITY_POOL_ID', help: 'identity pool id' },
    {
      flag: 'identity-endpoint',
      env: 'SCRIBE_IDENTITY_ENDPOINT',
      help: 'Cognito Identity endpoint override (sandbox, tests)',
    },
    ...loginOptions,
    {
      flag: 'session-file',
      env: 'SCRIBE_SESSION_FILE',
      help: 'log in with the refresh token kept in this file (written by scribe-proxy login)',
    },
    { flag: 'format', help: 'json (default) or process (the AWS credential_process format)' },
  ],
  required: ['client-id', 'user-pool-id', 'identity-pool-id'],
  prepare: async (values) => {
    const format = values['format'] ?? 'json';
    if (format !== 'json' && format !== 'process') {
      throw new UsageError('--format must be json or process');
    }
    const file = values['session-file'];
    if (file && !values['refresh-token']) {
      const saved = await readSessionFile(file);
      if (!saved) throw new UsageError(`no session file at ${file}: run scribe-proxy login first`);
      values['refresh-token'] = saved.refreshToken;
      values['username'] ??= saved.username;
    }
  },
  run: async (auth, values) => {
    const tokens = await logIn(auth, values);
    const identityId = await auth.getFederatedId(tokens.idToken);
    const credentials = await auth.getFederatedCredentials(identityId, tokens.idToken);
    if (values['format'] === 'process') {
      // https://docs.aws.amazon.com/sdkref/latest/guide/feature-process-credentials.html
      return {
        Version: 1,
        AccessKeyId: credentials.accessKeyId,
        SecretAccessKey: credentials.secretKey,
        SessionToken: credentials.sessionToken,
        Expiration: credentials.expiration.toISOString(),
      };
    }
    return { identityId, ...credentials, expiration: credentials.expiration.toISOString() };
  },
});
