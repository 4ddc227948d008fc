export {
  Session,
  SessionUnavailableError,
  type SessionCredentials,
  type SessionLogger,
  type SessionOptions,
  type SessionState,
  type SessionStatus,
} from './Session.js';
