export { HotPathSigner, signWithNodeCrypto, type HotPathRequest } from './hotPathSigner.js';
export { emptyPayloadHash } from './sigv4Core.js';
