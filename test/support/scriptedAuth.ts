import { ScribeAuth } from '../../src/index.js';
import type { ScribeAuthOptions } from '../../src/auth/types.js';
import type { ScriptedCognito } from './scriptedCognitoServer.js';

/** A ScribeAuth whose user pool and identity pool are the scripted Cognito (`extra` on top). */
export function scribeAuthOn(
  cognito: ScriptedCognito,
  extra: Partial<ScribeAuthOptions> = {},
): ScribeAuth {
  return new ScribeAuth({
    clientId: 'client',
    userPoolId: 'eu-west-2_scripted',
    identityPoolId: 'eu-west-2:scripted',
    endpoints: { cognitoIdentityProvider: cognito.url, cognitoIdentity: cognito.url },
    ...extra,
  });
}
