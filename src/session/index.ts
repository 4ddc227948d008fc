export { Session } from './Session.js';
export { OperatorActions } from './operatorActions.js';
export { SessionConflictError, SessionUnavailableError } from './errors.js';
export { sessionStates } from './types.js';
export type {
  SessionCredentials,
  SessionLogger,
  SessionOptions,
  SessionState,
  SessionStatus,
} from './types.js';
export {
  deleteSessionFile,
  readSessionFile,
  SessionFileError,
  sessionSettingNames,
  writeSessionFile,
  type SessionFileContents,
  type SessionSettings,
} from './sessionFile.js';
export { loadSavedSession, type SavedSessionOptions } from './savedSession.js';
export {
  SessionCache,
  type EvictionReason,
  type SessionCacheOptions,
  type SessionListing,
} from './sessionCache.js';
export {
  ClientLoginError,
  refusalPolicy,
  type LoginOutcome,
  type RefusedOutcome,
} from './loginRefusals.js';
export {
  credentialCacheBinding,
  credentialCacheMarginMs,
  deleteCredentialCache,
  freshCachedCredentials,
  readCredentialCache,
  writeCredentialCache,
  type CachedCredentials,
  type CredentialCacheEntry,
} from './credentialCache.js';
