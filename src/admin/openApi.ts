import { z } from 'zod';
import { sessionStates } from '../session/index.js';
import { schemas } from './schemas.js';

const time = z.iso.datetime().optional().describe('ISO 8601, UTC');

/** What the admin routes answer, as zod schemas (the OpenAPI test checks real answers against them). */
export const answers = {
  error: z.object({
    error: z.object({ code: z.string(), message: z.string() }),
  }),
  status: z.object({
    state: z.enum(sessionStates),
    mode: z.enum(['sigv4', 'bearer']),
    username: z.string().optional(),
    identityId: z.string().optional(),
    tokensExpireAt: time,
    credentialsExpireAt: time,
    lastRefreshAt: time,
    lastError: z.string().optional(),
    nextAttemptAt: time,
    nextRefreshAt: time,
    pendingChallenge: z.enum(['SOFTWARE_TOKEN_MFA', 'NEW_PASSWORD_REQUIRED']).optional(),
    configuredPasswordStale: z.boolean(),
    next: z.string().optional().describe('what the operator does next, when the session waits'),
  }),
  mfaSetup: z.object({
    username: z.string(),
    secret: z.string().describe('base32 TOTP secret, shown once'),
    otpauthUri: z.string().describe('the otpauth:// URI an authenticator app scans'),
  }),
  codeSent: z.object({
    sent: z.literal(true),
    deliveryMedium: z.string().optional(),
    destination: z.string().optional(),
    attributeName: z.string().optional(),
  }),
  sessions: z.object({
    sessions: z.array(
      z.object({
        username: z.string(),
        state: z.enum(sessionStates),
        tokensExpireAt: time,
        credentialsExpireAt: time,
        loggedInAt: z.iso.datetime(),
        lastUsedAt: z.iso.datetime(),
        lastRefreshAt: time,
        lastError: z.string().optional(),
      }),
    ),
  }),
  evicted: z.object({ username: z.string(), evicted: z.number().int(), revoked: z.number().int() }),
  openApi: z.object({ openapi: z.string() }).loose(),
};

/** One documented admin route. */
export interface AdminOperation {
  method: 'get' | 'post' | 'delete';
  /** Under /admin, OpenAPI style (`/sessions/{username}`). */
  path: string;
  id: string;
  summary: string;
  mode: 'shared' | 'per-client' | 'both';
  body?: z.ZodType;
  query?: Record<string, z.ZodType>;
  ok: z.ZodType;
  /**
   * Error statuses of the route's own work, besides those answered before it (401, 403, 429 on
   * every route; 400, 413, 415 where JSON bodies are read) and 404/409 (mode).
   */
  errors: number[];
}

const cognitoErrors = [400, 401, 403, 409, 429, 502];

/** Every /admin route: the OpenAPI document and the test that keeps it true read this list. */
export const adminOperations: AdminOperation[] = [
  {
    method: 'get',
    path: '/openapi.json',
    id: 'getOpenApi',
    summary: 'This document',
    mode: 'both',
    ok: answers.openApi,
    errors: [],
  },
  {
    method: 'get',
    path: '/session',
    id: 'getSession',
    summary: 'The session: state, user, identity, expiry times, last error, next step',
    mode: 'shared',
    ok: answers.status,
    errors: [],
  },
  {
    method: 'post',
    path: '/login',
    id: 'login',
    summary: 'Log in (given, else configured, username and password) beside the current session',
    mode: 'shared',
    body: schemas.login,
    ok: answers.status,
    errors: cognitoErrors,
  },
  {
    method: 'post',
    path: '/mfa',
    id: 'answerMfa',
    summary: 'Answer the pending MFA challenge with a TOTP code',
    mode: 'shared',
    body: schemas.mfa,
    ok: answers.status,
    errors: cognitoErrors,
  },
  {
    method: 'post',
    path: '/mfa/setup',
    id: 'startMfaSetup',
    summary: 'Start TOTP MFA set-up for the logged-in user: the secret and its otpauth:// URI',
    mode: 'shared',
    body: schemas.empty,
    ok: answers.mfaSetup,
    errors: cognitoErrors,
  },
  {
    method: 'post',
    path: '/mfa/verify',
    id: 'verifyMfaSetup',
    summary: 'Finish MFA set-up with a code from the authenticator app',
    mode: 'shared',
    body: schemas.mfaVerify,
    ok: answers.status,
    errors: cognitoErrors,
  },
  {
    method: 'post',
    path: '/password',
    id: 'setPassword',
    summary: 'Answer a temporary password with a new one, or change the password',
    mode: 'shared',
    body: schemas.password,
    ok: answers.status,
    errors: cognitoErrors,
  },
  {
    method: 'post',
    path: '/password/forgot',
    id: 'forgotPassword',
    summary: 'Send a password-reset code',
    mode: 'shared',
    body: schemas.forgot,
    ok: answers.codeSent,
    errors: cognitoErrors,
  },
  {
    method: 'post',
    path: '/password/confirm',
    id: 'confirmPassword',
    summary: 'Reset the password with the code; the session logs in with it',
    mode: 'shared',
    body: schemas.confirm,
    ok: answers.status,
    errors: cognitoErrors,
  },
  {
    method: 'post',
    path: '/revoke',
    id: 'revoke',
    summary: 'Revoke the refresh token and forget everything held; log in again with the password',
    mode: 'shared',
    body: schemas.empty,
    ok: answers.status,
    errors: cognitoErrors,
  },
  {
    method: 'get',
    path: '/sessions',
    id: 'listSessions',
    summary: 'Per-client mode: the sessions held (never a secret)',
    mode: 'per-client',
    ok: answers.sessions,
    errors: [],
  },
  {
    method: 'delete',
    path: '/sessions/{username}',
    id: 'evictSessions',
    summary: "Per-client mode: evict an account's sessions, optionally revoking their tokens",
    mode: 'per-client',
    query: { revoke: z.enum(['true', 'false']).optional() },
    ok: answers.evicted,
    errors: [400, 401, 403, 429, 502],
  },
];

const json = (schema: z.ZodType) => ({
  'application/json': { schema: z.toJSONSchema(schema, { io: 'output', unrepresentable: 'any' }) },
});

/** The OpenAPI 3.1 document of the /admin routes, built from the schemas they validate with. */
export function openApiDocument(): object {
  const paths: Record<string, Record<string, object>> = {};
  for (const op of adminOperations) {
    const params = [
      ...[...op.path.matchAll(/\{(\w+)\}/g)].map((m) => ({
        name: m[1],
        in: 'path',
        required: true,
        schema: { type: 'string', maxLength: 128 },
      })),
      ...Object.entries(op.query ?? {}).map(([name, schema]) => ({
        name,
        in: 'query',
        required: false,
        schema: z.toJSONSchema(schema),
      })),
    ];
    const refusal = (description: string) => ({ description, content: json(answers.error) });
    // Answered before any route's own work: the Host rule, the token and its throttle, and in
    // shared mode (the router that reads JSON bodies) a body it cannot read.
    const responses: Record<string, object> = {
      200: { description: 'done', content: json(op.ok) },
      401: refusal('no or wrong admin token'),
      403: refusal(
        "a Host that is not the admin listener's own (loopback or ADMIN_ALLOWED_HOSTS): host_refused",
      ),
      429: refusal('too many wrong admin tokens from this address: rate_limited, with Retry-After'),
    };
    if (op.mode !== 'per-client') {
      responses[400] = refusal('the body is not valid JSON: invalid_json');
      responses[413] = refusal('the body is over 16 KiB: body_too_large');
      responses[415] = refusal('the body is not application/json: unsupported_media_type');
    }
    for (const status of op.errors) {
      responses[status] = refusal('refused (the message says what to do)');
    }
    if (op.mode === 'shared') {
      responses[409] = {
        description: 'refused (the message says what to do); in a per-client gateway, always',
        content: json(answers.error),
      };
    }
    if (op.mode === 'per-client') {
      responses[404] = {
        description: 'no session for this username; in shared mode, always',
        content: json(answers.error),
      };
    }
    (paths[`/admin${op.path}`] ??= {})[op.method] = {
      operationId: op.id,
      summary: op.summary,
      ...(op.mode !== 'both' ? { tags: [op.mode] } : {}),
      ...(params.length > 0 ? { parameters: params } : {}),
      ...(op.body
        ? {
            requestBody: {
              required: false,
              content: {
                'application/json': { schema: z.toJSONSchema(op.body, { io: 'input' }) },
              },
            },
          }
        : {}),
      responses,
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'scribe-proxy admin API',
      version: '1',
      description:
        "The admin listener's /admin routes, behind `Authorization: Bearer <ADMIN_TOKEN>`. Shared-mode routes answer 409 in a per-client gateway and the other way round.",
    },
    security: [{ adminToken: [] }],
    components: {
      securitySchemes: { adminToken: { type: 'http', scheme: 'bearer' } },
    },
    tags: [
      { name: 'shared', description: 'PROXY_SESSIONS=shared: the one account' },
      { name: 'per-client', description: 'PROXY_SESSIONS=per-client: the sessions held' },
    ],
    paths,
  };
}
