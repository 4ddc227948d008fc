export {
  bearerAuthorizer,
  sigv4Authorizer,
  type Authorizer,
  type CredentialSource,
  type RejectionVerdict,
  type TokenSource,
} from './authorizers.js';
export { freshUpstreamAgent, upstreamAgent, upstreamHostname, type Upstream } from './send.js';
export {
  createProxyHandler,
  type ProxyHandler,
  type ProxyOptions,
  type RequestRecord,
} from './pipeline.js';
export { ProxyError, sendError } from './ProxyError.js';
