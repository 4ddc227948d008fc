import type { RequestHandler } from 'express';
import { rateLimit } from 'express-rate-limit';
import { bearerCheck, bearerToken, sendJsonError } from '../http/index.js';

/** Why a request was refused before any admin route: no token, a wrong one, too many wrong. */
export type AdminTokenRefusal = 'missing_token' | 'wrong_token' | 'too_many_failures';

export interface AdminTokenOptions {
  /** Told of every refusal, for the log (never the token presented). */
  onRefused?: (reason: AdminTokenRefusal, status: number) => void;
  /** Refusals allowed per client address per window before every request is refused (429). */
  failureLimit?: { limit: number; windowMs: number };
}

/**
 * Require `Authorization: Bearer <ADMIN_TOKEN>`, compared in constant time; else 401. A client
 * address that keeps presenting wrong tokens is refused with 429 for the rest of the window, so
 * guessing costs time.
 */
export function requireAdminToken(token: string, options: AdminTokenOptions = {}): RequestHandler {
  const matches = bearerCheck(token);
  const limit = options.failureLimit ?? { limit: 10, windowMs: 60_000 };
  // Counts only wrong tokens (guesses): an operator with the right token, or a request without
  // one, never uses up the allowance.
  const failures = rateLimit({
    windowMs: limit.windowMs,
    limit: limit.limit,
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    requestWasSuccessful: (_req, res) => res.locals['wrongAdminToken'] !== true,
    skipSuccessfulRequests: true,
    handler: (_req, res) => {
      options.onRefused?.('too_many_failures', 429);
      sendJsonError(
        res,
        429,
        'rate_limited',
        'too many requests with a wrong admin token; wait and retry',
      );
    },
  });
  return (req, res, next) => {
    void failures(req, res, () => {
      const presented = bearerToken(req.headers.authorization);
      if (presented !== undefined && matches(presented)) return next();
      if (presented !== undefined) res.locals['wrongAdminToken'] = true;
      options.onRefused?.(presented === undefined ? 'missing_token' : 'wrong_token', 401);
      sendJsonError(res, 401, 'unauthorized', 'send Authorization: Bearer <ADMIN_TOKEN>', {
        'www-authenticate': 'Bearer realm="scribe-proxy admin"',
      });
    });
  };
}
