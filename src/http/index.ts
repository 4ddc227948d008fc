export { errorBody, sendJsonError } from './errorBody.js';
export { bearerCheck, bearerToken } from './bearerCheck.js';
export { operatorNextStep } from './operatorNextStep.js';
export { egressAgent, egressProxyFor } from './egress.js';
export {
  upstreamDispatcher,
  type UpstreamDispatcher,
  type UpstreamDispatchOptions,
} from './upstreamDispatcher.js';
export { readEgress, type EgressProxy } from './readEgress.js';
export {
  basicCredentials,
  CredentialsNotUtf8Error,
  type BasicCredentials,
} from './basicCredentials.js';
export { consoleCookieName, withoutConsoleCookie } from './consoleCookie.js';
export { lingeringClose, lingerBounds, type LingerBounds } from './lingeringClose.js';
export {
  adminHostCheck,
  hostStanding,
  isLoopbackName,
  type HostRule,
  type HostStanding,
} from './hostStanding.js';
