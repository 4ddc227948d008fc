import type { Agent } from 'node:http';
import { egressAgent, egressProxyFor, type EgressProxy } from '../http/index.js';

/** Where each Cognito service is reached: the configured override, else AWS's endpoint. */
export function cognitoEndpoints(options: {
  region: string;
  cognitoEndpoint?: string | undefined;
  identityEndpoint?: string | undefined;
}): { cognitoIdentityProvider: URL; cognitoIdentity: URL } {
  return {
    cognitoIdentityProvider: new URL(
      options.cognitoEndpoint ?? `https://cognito-idp.${options.region}.amazonaws.com`,
    ),
    cognitoIdentity: new URL(
      options.identityEndpoint ?? `https://cognito-identity.${options.region}.amazonaws.com`,
    ),
  };
}

/**
 * Agents for ScribeAuth's calls through the egress proxy, for each Cognito endpoint the proxy
 * applies to (undefined where calls go direct: the SDK's own agent serves them).
 */
export function cognitoAgents(
  options: {
    region: string;
    cognitoEndpoint?: string | undefined;
    identityEndpoint?: string | undefined;
  },
  egress: EgressProxy,
): { cognitoIdentityProvider?: Agent; cognitoIdentity?: Agent } {
  const endpoints = cognitoEndpoints(options);
  const agents: { cognitoIdentityProvider?: Agent; cognitoIdentity?: Agent } = {};
  for (const key of ['cognitoIdentityProvider', 'cognitoIdentity'] as const) {
    const url = endpoints[key];
    if (egressProxyFor(url, egress)) agents[key] = egressAgent(url, egress, { keepAlive: true });
  }
  return agents;
}
