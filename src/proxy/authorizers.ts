import type { Session, SessionCredentials } from '../session/index.js';

/** What the sigv4 authorizer needs of a session (a Session, or fixed credentials in benchmarks). */
export type CredentialSource = Pick<Session, 'credentials' | 'replaceCredentials'>;
/** What the bearer authorizer needs of a session. */
export type TokenSource = Pick<Session, 'accessToken' | 'replaceAccessToken'>;
import { signOutgoingRequest } from '../signing/index.js';
import type { ProxyContext } from './context.js';

/** How a request is authorised upstream, and when a rejection means "refresh and replay once". */
export interface Authorizer {
  /** Headers that authorise this request, and the secret they were made with. */
  authorize(ctx: ProxyContext): Promise<{ headers: Record<string, string>; used: unknown }>;
  /** True when the upstream rejected the request because what was used expired or went bad. */
  isStaleRejection(status: number, body: Buffer): boolean;
  /** Refresh what was used (once across concurrent callers). */
  replace(used: unknown): Promise<void>;
  /** The statuses worth reading the body of, to decide. */
  readonly rejectionStatus: number;
}

// API Gateway's words for credentials that went stale. Never replayed: a signature mismatch,
// an IAM denial, "Missing Authentication Token" (each would fail the same way again).
const staleMessages =
  /security token included in the request is (expired|invalid)|signature expired|token has expired/i;

/** SigV4 with the session's federated credentials (Scribe API v1). */
export function sigv4Authorizer(
  session: CredentialSource,
  apiUrl: URL,
  region: string,
): Authorizer {
  const protocol = apiUrl.protocol;
  const hostname = apiUrl.hostname.replace(/^\[|\]$/g, '');
  const port = apiUrl.port ? Number(apiUrl.port) : undefined;
  return {
    rejectionStatus: 403,
    async authorize(ctx) {
      const credentials = await session.credentials();
      const headers = await signOutgoingRequest(
        {
          method: ctx.req.method ?? 'GET',
          protocol,
          hostname,
          port,
          path: ctx.upstreamPath,
          query: ctx.query,
          body: ctx.body,
        },
        credentials,
        { region, service: 'execute-api' },
      );
      return { headers, used: credentials };
    },
    isStaleRejection(status, body) {
      return status === 403 && staleMessages.test(body.toString('utf8'));
    },
    async replace(used) {
      await session.replaceCredentials(used as SessionCredentials);
    },
  };
}

/** The raw access token in Authorization, as Scribe's SDK sends it (Scribe API v2). */
export function bearerAuthorizer(session: TokenSource): Authorizer {
  return {
    rejectionStatus: 401,
    async authorize() {
      const token = await session.accessToken();
      return { headers: { authorization: token }, used: token };
    },
    isStaleRejection(status) {
      return status === 401;
    },
    async replace(used) {
      await session.replaceAccessToken(used as string);
    },
  };
}
