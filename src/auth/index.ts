export { ScribeAuth } from './ScribeAuth.js';
export * from './errors.js';
export { type RetryPolicy, defaultRetryPolicy } from './retry.js';
export * from './types.js';
