export {
  bearerAuthorizer,
  sigv4Authorizer,
  type Authorizer,
  type CredentialSource,
  type TokenSource,
} from './authorizers.js';
export { upstreamAgent, type Upstream } from './forward.js';
export { createProxyHandler, type ProxyOptions, type RequestRecord } from './pipeline.js';
export { ProxyError, sendError } from './ProxyError.js';
