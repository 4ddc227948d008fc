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
import { requireAdminToken, type AdminTokenThrottle } from './requireAdminToken.js';
import { openApiDocument } from './openApi.js';

export interface AdminRouterOptions {
  session: Session;
  actions: OperatorActions;
  adminToken: string;
  /** Password routes per client per window; Cognito's own limits are far stricter. */
  passwordRateLimit?: { limit: number; windowMs: number };
  /**
   * Called once per admin request with what was answered, for the log (no secrets passed):
   * `failed` with the error code as detail and the status for every answer of 400 or more.
   */
  onAction?: AdminActionListener;
  /** The listener's count of wrong admin tokens, shared with /readyz (default: the router's own). */
  adminTokenThrottle?: AdminTokenThrottle;
}

/** Told what an admin request was answered. */
export type AdminActionListener = (
  action: string,
  outcome: 'ok' | 'failed',
  detail?: string,
  status?: number,
) => void;

/** The status, code and message an admin route answers an error with. */
export function adminErrorAnswer(err: unknown): { status: number; code: string; message: string } {
  if (err instanceof ScribeAuthError) {
    const status = [400, 401, 403, 404, 429].includes(err.httpStatus) ? err.httpStatus : 502;
    const code = err.name
      .replace(/Error$/, '')
      .replace(/(?<=[a-z])(?=[A-Z])/g, '_')
      .toLowerCase();
    // Cognito's refusal is not the admin token's: a client must tell the two 401s apart.
    return {
      status,
      code: code === 'unauthorized' ? 'cognito_unauthorized' : code,
      message: err.message,
    };
  }
  if (err instanceof SessionConflictError)
    return { status: 409, code: 'conflict', message: err.message };
  const e = err as { type?: string; status?: number };
  if (e.type === 'entity.too.large')
    return { status: 413, code: 'body_too_large', message: 'the body is over 16 KiB' };
  if (e.type === 'entity.parse.failed')
    return { status: 400, code: 'invalid_json', message: 'the body is not valid JSON' };
  if (typeof e.status === 'number' && e.status >= 400 && e.status < 500) {
    return { status: e.status, code: 'bad_request', message: 'the request could not be read' };
  }
  return { status: 500, code: 'internal_error', message: 'the admin action failed' };
}

/** Answer an error and note its code, so the log says what was answered. */
export function refuse(res: Response, status: number, code: string, message: string): void {
  res.locals['errorCode'] = code;
  sendJsonError(res, status, code, message);
}

/** The action an admin path names in the log: `/password/forgot` is `password-forgot`. */
function actionOf(path: string): string {
  const known = [
    'session',
    'login',
    'mfa',
    'password',
    'password/forgot',
    'password/confirm',
    'revoke',
  ];
  const route = path.replace(/^\/+|\/+$/g, '');
  // Only a known route's name: the log never carries a path the client made up.
  return known.includes(route) ? route.replace('/', '-') : 'unknown-route';
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
    return refuse(res, 415, 'unsupported_media_type', 'send the body as application/json');
  }
  next();
};

/** Validate the body against a schema, answering 400 with the bad fields. */
function body<S extends z.ZodType>(schema: S, req: Request, res: Response): z.infer<S> | undefined {
  const parsed = schema.safeParse(req.body ?? {});
  if (parsed.success) return parsed.data;
  refuse(res, 400, 'invalid_body', describeIssues(parsed.error, req.body ?? {}));
  return undefined;
}

/**
 * The /admin router: session status, login, MFA, password change, forgotten password and revoke,
 * behind the admin token. Cognito's errors map to 400/401/403/429 with what to do next.
 */
export function adminRouter(options: AdminRouterOptions): Router {
  const { session, actions } = options;
  const router = Router();
  const onAction = options.onAction;
  router.use(
    requireAdminToken(options.adminToken, {
      onRefused: (reason, status) => onAction?.('authenticate', 'failed', reason, status),
      throttle: options.adminTokenThrottle,
    }),
  );
  // Every answer made before a route's own (415, a body too large or not JSON) is logged too.
  router.use((req, res, next) => {
    res.once('finish', () => {
      if (res.locals['logged'] || res.statusCode < 400) return;
      onAction?.(
        actionOf(req.path),
        'failed',
        String(res.locals['errorCode'] ?? 'error'),
        res.statusCode,
      );
    });
    next();
  });
  router.use(jsonOnly);
  router.use(express.json({ limit: '16kb', type: 'application/json', strict: true }));
  const limit = options.passwordRateLimit ?? { limit: 10, windowMs: 60_000 };
  const passwordLimiter = rateLimit({
    windowMs: limit.windowMs,
    limit: limit.limit,
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    handler: (_req, res) =>
      refuse(res, 429, 'rate_limited', 'too many password requests; wait a minute and retry'),
  });

  type Action = (req: Request, res: Response) => Promise<unknown>;
  const act =
    (name: string, action: Action): RequestHandler =>
    async (req, res, next) => {
      res.locals['logged'] = true;
      try {
        const result = await action(req, res);
        if (!res.headersSent) res.json(result);
        if (res.statusCode < 400) onAction?.(name, 'ok', undefined, res.statusCode);
        else onAction?.(name, 'failed', String(res.locals['errorCode']), res.statusCode);
      } catch (err) {
        const answer = adminErrorAnswer(err);
        onAction?.(name, 'failed', answer.code, answer.status);
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

  router.use((_req, res) => refuse(res, 404, 'not_found', 'no such admin route'));

  const onError: ErrorRequestHandler = (err: unknown, _req, res, _next) => {
    if (res.headersSent) return;
    const answer = adminErrorAnswer(err);
    refuse(res, answer.status, answer.code, answer.message);
  };
  router.use(onError);
  return router;
}
