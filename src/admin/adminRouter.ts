import express, {
  Router,
  type ErrorRequestHandler,
  type Request,
  type RequestHandler,
  type Response,
} from 'express';
import { rateLimit } from 'express-rate-limit';
import type { z } from 'zod';
import { ScribeAuthError } from '../auth/index.js';
import { operatorNextStep, sendJsonError } from '../http/index.js';
import { OperatorActions, Session, SessionConflictError } from '../session/index.js';
import { describeIssues, schemas } from './schemas.js';
import { requireAdminToken } from './requireAdminToken.js';
import { openApiDocument } from './openApi.js';

export interface AdminRouterOptions {
  session: Session;
  actions: OperatorActions;
  adminToken: string;
  /** Password routes per client per window; Cognito's own limits are far stricter. */
  passwordRateLimit?: { limit: number; windowMs: number };
  /** Called when an admin action fails or succeeds, for the log (no secrets passed). */
  onAction?: (action: string, outcome: 'ok' | 'failed', detail?: string) => void;
}

/** Revoke; a refusal says that the token was kept (so it can be revoked again). */
export async function revokeKeepingOnFailure(actions: OperatorActions) {
  try {
    return await actions.revoke();
  } catch (err) {
    if (!(err instanceof ScribeAuthError)) throw err;
    const Same = err.constructor as typeof ScribeAuthError;
    throw new Same(`${err.message} (the refresh token was kept: revoke again later)`, {
      cause: err,
      httpStatus: err.httpStatus,
      cognitoName: err.cognitoName,
    });
  }
}

/** Refuse a body that is not JSON (415); an empty body is an empty object. */
const jsonOnly: RequestHandler = (req, res, next) => {
  const length = Number(req.headers['content-length'] ?? 0);
  const hasBody = length > 0 || req.headers['transfer-encoding'] !== undefined;
  if (hasBody && !req.is('application/json')) {
    return sendJsonError(res, 415, 'unsupported_media_type', 'send the body as application/json');
  }
  next();
};

/** Validate the body against a schema, answering 400 with the bad fields. */
function body<S extends z.ZodType>(schema: S, req: Request, res: Response): z.infer<S> | undefined {
  const parsed = schema.safeParse(req.body ?? {});
  if (parsed.success) return parsed.data;
  sendJsonError(res, 400, 'invalid_body', describeIssues(parsed.error));
  return undefined;
}

/**
 * The /admin router: session status, login, MFA, password change, forgotten password and revoke,
 * behind the admin token. Cognito's errors map to 400/401/403/429 with what to do next.
 */
export function adminRouter(options: AdminRouterOptions): Router {
  const { session, actions } = options;
  const router = Router();
  router.use(requireAdminToken(options.adminToken));
  router.use(jsonOnly);
  router.use(express.json({ limit: '16kb', type: 'application/json', strict: true }));
  const limit = options.passwordRateLimit ?? { limit: 10, windowMs: 60_000 };
  const passwordLimiter = rateLimit({
    windowMs: limit.windowMs,
    limit: limit.limit,
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    handler: (_req, res) =>
      sendJsonError(
        res,
        429,
        'rate_limited',
        'too many password requests; wait a minute and retry',
      ),
  });

  type Action = (req: Request, res: Response) => Promise<unknown>;
  const act =
    (name: string, action: Action): RequestHandler =>
    async (req, res, next) => {
      try {
        const result = await action(req, res);
        if (!res.headersSent) res.json(result);
        options.onAction?.(name, 'ok');
      } catch (err) {
        options.onAction?.(name, 'failed', err instanceof Error ? err.name : 'error');
        next(err);
      }
    };

  router.get('/openapi.json', (_req, res) => {
    res.json(openApiDocument());
  });

  router.get('/session', (_req, res) => {
    const status = session.status();
    const next = operatorNextStep[status.state];
    res.json(next ? { ...status, next } : status);
  });

  router.post(
    '/login',
    passwordLimiter,
    act('login', async (req, res) => {
      const input = body(schemas.login, req, res);
      return input && actions.login(input);
    }),
  );

  router.post(
    '/mfa',
    passwordLimiter,
    act('mfa', async (req, res) => {
      const input = body(schemas.mfa, req, res);
      return input && actions.answerMfa(input.code);
    }),
  );

  router.post(
    '/mfa/setup',
    act('mfa-setup', async (req, res) => {
      const input = body(schemas.empty, req, res);
      return input && actions.startMfaSetup();
    }),
  );

  router.post(
    '/mfa/verify',
    passwordLimiter,
    act('mfa-verify', async (req, res) => {
      const input = body(schemas.mfaVerify, req, res);
      return input && actions.verifyMfaSetup(input.code, input.deviceName);
    }),
  );

  router.post(
    '/password',
    passwordLimiter,
    act('password', async (req, res) => {
      const input = body(schemas.password, req, res);
      return input && actions.setPassword(input.newPassword, input.password);
    }),
  );

  router.post(
    '/password/forgot',
    passwordLimiter,
    act('password-forgot', async (req, res) => {
      const input = body(schemas.forgot, req, res);
      if (!input) return undefined;
      const delivery = await actions.requestPasswordReset(input.username);
      return { sent: true, ...delivery };
    }),
  );

  router.post(
    '/password/confirm',
    passwordLimiter,
    act('password-confirm', async (req, res) => {
      const input = body(schemas.confirm, req, res);
      return input && actions.confirmPasswordReset(input.code, input.newPassword, input.username);
    }),
  );

  router.post(
    '/revoke',
    act('revoke', async (req, res) => {
      const input = body(schemas.empty, req, res);
      return input && revokeKeepingOnFailure(actions);
    }),
  );

  router.use((_req, res) => sendJsonError(res, 404, 'not_found', 'no such admin route'));

  const onError: ErrorRequestHandler = (err: unknown, _req, res, _next) => {
    if (res.headersSent) return;
    if (err instanceof ScribeAuthError) {
      const status = [400, 401, 403, 404, 429].includes(err.httpStatus) ? err.httpStatus : 502;
      return sendJsonError(
        res,
        status,
        err.name
          .replace(/Error$/, '')
          .replace(/(?<=[a-z])(?=[A-Z])/g, '_')
          .toLowerCase(),
        err.message,
      );
    }
    if (err instanceof SessionConflictError)
      return sendJsonError(res, 409, 'conflict', err.message);
    const e = err as { type?: string; status?: number };
    if (e.type === 'entity.too.large')
      return sendJsonError(res, 413, 'body_too_large', 'the body is over 16 KiB');
    if (e.type === 'entity.parse.failed')
      return sendJsonError(res, 400, 'invalid_json', 'the body is not valid JSON');
    if (typeof e.status === 'number' && e.status >= 400 && e.status < 500) {
      return sendJsonError(res, e.status, 'bad_request', 'the request could not be read');
    }
    sendJsonError(res, 500, 'internal_error', 'the admin action failed');
  };
  router.use(onError);
  return router;
}
