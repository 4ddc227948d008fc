export { signHttpRequest } from './signHttpRequest.js';
export {
  signOutgoingRequest,
  hostHeader,
  hostHeaderOf,
  type OutgoingRequest,
} from './signOutgoingRequest.js';
export type { SignableRequest, SigningCredentials, SigningScope } from './types.js';
export {
  parseQuery,
  canonicalQueryString,
  canonicalQueryFromRaw,
  encodeRfc3986,
  MalformedQueryError,
} from './queryString.js';
