export {
  Session,
  SessionConflictError,
  SessionUnavailableError,
  type SessionCredentials,
  type SessionLogger,
  type SessionOptions,
  type SessionState,
  type SessionStatus,
} from './Session.js';
export {
  deleteSessionFile,
  readSessionFile,
  writeSessionFile,
  type SessionFileContents,
} from './sessionFile.js';
