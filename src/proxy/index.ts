export {
  bearerAuthorizer,
  sigv4Authorizer,
  type Authorizer,
  type RejectionVerdict,
  type SessionSource,
} from './authorizers.js';
export type { SessionChoice } from './pickSession.js';
export { upstreamOf, type Upstream } from './send.js';
export {
  createProxyHandler,
  type ProxyHandler,
  type ProxyOptions,
  type RequestRecord,
} from './pipeline.js';
export { ProxyError, sendError } from './ProxyError.js';
export { type BrowserGuard } from './refuseBrowsers.js';
