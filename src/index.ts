/** The public library surface of scribe-proxy. */
export * from './auth/index.js';
export {
  signOutgoingRequest,
  signHttpRequest,
  parseQuery,
  canonicalQueryString,
  type OutgoingRequest,
  type SignableRequest,
  type SigningCredentials,
  type SigningScope,
} from './signing/index.js';
