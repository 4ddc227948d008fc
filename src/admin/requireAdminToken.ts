import type { RequestHandler } from 'express';
import { rateLimit } from 'express-rate-limit';
import { bearerCheck, bearerToken, sendJsonError } from '../http/index.js';
import {
  countWrongToken,
  lockedOut,
  markLockedOut,
  presentedWrongToken,
} from './adminTokenMarks.js';

export { countWrongToken, lockedOut } from './adminTokenMarks.js';

/** Why a request was refused before any admin route: no token, a wrong one, too many wrong. */
export type AdminTokenRefusal = 'missing_token' | 'wrong_token' | 'too_many_failures';

/**
 * The count of wrong admin tokens per client address: a middleware that counts the request and
 * marks an address over its allowance (`lockedOut`) without answering, so each route answers a
 * locked-out address its own way. One per listener, shared by every route that takes the token
 * (the admin API and /readyz), so guesses made at one route count at the others.
 */
export type AdminTokenThrottle = RequestHandler;

/** Wrong admin tokens allowed per client address per window. */
export interface AdminTokenFailureLimit {
  limit: number;
  windowMs: number;
}

/** Create the per-address count of wrong admin tokens (default 10 a minute). */
export function adminTokenThrottle(
  limit: AdminTokenFailureLimit = { limit: 10, windowMs: 60_000 },
): AdminTokenThrottle {
  // Counts only wrong tokens (guesses): an operator with the right token, or a request without
  // one, never uses up the allowance.
  return rateLimit({
    windowMs: limit.windowMs,
    limit: limit.limit,
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    // An IPv6 client counts by its /64 (one host owns the whole prefix), as at the console's
    // sign-in: by the library's default /56, a cluster's nodes (a /64 of pods each) would share
    // one count, and a pod on another node could lock out the operator's.
    ipv6Subnet: 64,
    requestWasSuccessful: (_req, res) => !presentedWrongToken(res),
    skipSuccessfulRequests: true,
    handler: (_req, res, next) => {
      markLockedOut(res);
      next();
    },
  });
}

export interface AdminTokenOptions {
  /** Told of every refusal, for the log (never the token presented). */
  onRefused?: (reason: AdminTokenRefusal, status: number) => void;
  /** The listener's count of wrong tokens (default: one of this guard's own, 10 a minute). */
  throttle?: AdminTokenThrottle;
}

/**
 * Require `Authorization: Bearer <ADMIN_TOKEN>`, compared in constant time; else 401. A client
 * address that keeps presenting wrong tokens is refused with 429 for the rest of the window, so
 * guessing costs time.
 */
export function requireAdminToken(token: string, options: AdminTokenOptions = {}): RequestHandler {
  const matches = bearerCheck(token);
  const failures = options.throttle ?? adminTokenThrottle();
  return (req, res, next) => {
    void failures(req, res, () => {
      if (lockedOut(res)) {
        options.onRefused?.('too_many_failures', 429);
        return sendJsonError(
          res,
          429,
          'rate_limited',
          'too many requests with a wrong admin token; wait and retry',
        );
      }
      const presented = bearerToken(req.headers.authorization);
      if (presented !== undefined && matches(presented)) return next();
      if (presented !== undefined) countWrongToken(res);
      options.onRefused?.(presented === undefined ? 'missing_token' : 'wrong_token', 401);
      sendJsonError(res, 401, 'unauthorized', 'send Authorization: Bearer <ADMIN_TOKEN>', {
        'www-authenticate': 'Bearer realm="scribe-proxy admin"',
      });
    });
  };
}
