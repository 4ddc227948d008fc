import { ScribeAuth } from '../auth/index.js';
import type { Config } from '../config/index.js';
import { cognitoAgents } from './cognitoAgents.js';

/**
 * The ScribeAuth a configuration describes: its pools, endpoint overrides, egress proxy and
 * Cognito deadline. The service and `check --online` use the same one.
 */
export function scribeAuthFor(config: Config): ScribeAuth {
  return new ScribeAuth({
    clientId: config.clientId,
    userPoolId: config.userPoolId,
    identityPoolId: config.identityPoolId,
    region: config.region,
    clientSecret: config.clientSecret,
    endpoints: {
      cognitoIdentityProvider: config.cognitoEndpoint,
      cognitoIdentity: config.identityEndpoint,
    },
    agents: cognitoAgents(config, {
      httpsProxy: config.httpsProxy,
      httpProxy: config.httpProxy,
      noProxy: config.noProxy,
    }),
    requestTimeoutMs: config.cognitoTimeoutMs,
  });
}
