import type { Session, SessionCredentials } from '../session/index.js';
import { hostHeaderOf } from '../signing/index.js';
import { HotPathSigner } from '../signing/hotPath/index.js';
import { clockSkewSeconds } from './clockSkew.js';
import type { Authorization, ProxyContext } from './context.js';
import type { AnswerHeaders } from './upstreamAnswer.js';

/**
 * What an authorizer needs of the request's session (ctx.session): a Session, or fixed
 * credentials in benchmarks. `held` gives what is valid now without waiting (the fast path).
 */
export type SessionSource = Pick<
  Session,
  'credentials' | 'replaceCredentials' | 'accessToken' | 'replaceAccessToken'
> & {
  held?: () => SessionCredentials | string | undefined;
};

/** The session a pass picked for this request (pickSession.ts runs before authorize). */
function sessionOf(ctx: ProxyContext): SessionSource {
  if (!ctx.session) throw new Error('no session was picked for this request');
  return ctx.session;
}

/**
 * What an upstream rejection means: replay once after a refresh; clock skew (`offsetMs`: how far
 * the gateway's clock is ahead of ours, undefined when it did not say); or final.
 */
export type RejectionVerdict =
  { kind: 'replay' } | { kind: 'clock-skew'; offsetMs: number | undefined } | { kind: 'final' };

/** How a request is authorised upstream, and when a rejection means "refresh and replay once". */
export interface Authorizer {
  /** The status worth reading the body of, to judge it. */
  readonly rejectionStatus: number;
  /**
   * Headers that authorise this request, and the secret they were made with: at once when the
   * session holds something valid, else after a (bounded) wait.
   */
  authorize(ctx: ProxyContext): Authorization | Promise<Authorization>;
  /** Judge a rejection (status `rejectionStatus`) from its headers and body. */
  judge(res: AnswerHeaders, body: Buffer): RejectionVerdict;
  /**
   * The upstream refused `rejected` for what `verdict` says: authorise again, with what replaced
   * the stale secret, or on the gateway's clock.
   */
  reauthorize(
    ctx: ProxyContext,
    rejected: Authorization,
    verdict: RejectionVerdict,
  ): Promise<Authorization>;
}

// API Gateway's words for a security token a refresh can cure. Never replayed: a signature
// mismatch, an IAM denial, "Missing Authentication Token" (each would fail the same way again).
const staleToken = /security token included in the request is (expired|invalid)/i;
// Clock skew: the signature's date is outside the gateway's five minutes. A refresh cannot fix it;
// signing on the gateway's clock does.
const skewed = /signature expired|signature not yet current/i;

// A gateway clock further from ours than this is not believed: a `Date` that lies (or is years
// away) would otherwise set the clock every later signature is made on, even past year 9999,
// where no signature can be written and nothing would ever correct it.
const maxClockOffsetMs = 24 * 60 * 60 * 1000;

/**
 * How far the gateway's clock is ahead of ours, from the `Date` of its refusal (as AWS SDKs read
 * it), else from the times in its message added to the offset the request was signed with.
 * Undefined when it did not say, or says a day or more.
 */
function gatewayClockOffset(res: AnswerHeaders, text: string, signedWithMs: number) {
  const date = Date.parse(res.header('date') ?? '');
  const skewS = clockSkewSeconds(text);
  const offset = Number.isFinite(date)
    ? date - Date.now()
    : skewS === undefined
      ? undefined
      : signedWithMs + skewS * 1000;
  return offset !== undefined && Math.abs(offset) < maxClockOffsetMs ? offset : undefined;
}

/** SigV4 with the session's federated credentials (Scribe API v1). */
export function sigv4Authorizer(apiUrl: URL, region: string): Authorizer {
  const host = hostHeaderOf(apiUrl);
  const scope = { region, service: 'execute-api' };
  // One hot-path signer per credential set: its key, scope and header block are reused until the
  // session replaces the credentials (a new object), and dropped with them.
  const signers = new WeakMap<SessionCredentials, HotPathSigner>();
  // Every signature is made on the gateway's clock once it said ours is off (flow step 10).
  let clockOffsetMs = 0;
  const sign = (ctx: ProxyContext, credentials: SessionCredentials): Authorization => {
    let signer = signers.get(credentials);
    if (!signer) {
      signer = new HotPathSigner(credentials, scope, host);
      signers.set(credentials, signer);
    }
    const headers = signer.sign(
      {
        method: ctx.req.method ?? 'GET',
        path: ctx.upstreamPath,
        canonicalQuery: ctx.canonicalQuery,
        payloadHash: ctx.payloadHash,
      },
      Date.now() + clockOffsetMs,
    );
    return { headers, used: credentials };
  };
  return {
    rejectionStatus: 403,
    authorize(ctx) {
      const session = sessionOf(ctx);
      const held = session.held?.();
      if (typeof held === 'object') return sign(ctx, held);
      return session.credentials(ctx.signal).then((credentials) => sign(ctx, credentials));
    },
    judge(res, body) {
      // API Gateway marks every refusal it makes itself (x-amzn-ErrorType); a backend's own 403
      // carries no such mark and went through already: never sent twice, whatever its body says.
      if (res.header('x-amzn-errortype') === undefined) return { kind: 'final' };
      const text = body.toString('utf8');
      if (skewed.test(text)) {
        return { kind: 'clock-skew', offsetMs: gatewayClockOffset(res, text, clockOffsetMs) };
      }
      return staleToken.test(text) ? { kind: 'replay' } : { kind: 'final' };
    },
    async reauthorize(ctx, rejected, verdict) {
      const stale = rejected.used as SessionCredentials;
      if (verdict.kind === 'clock-skew' && verdict.offsetMs !== undefined) {
        clockOffsetMs = verdict.offsetMs;
        return sign(ctx, stale);
      }
      return sign(ctx, await sessionOf(ctx).replaceCredentials(stale, ctx.signal));
    },
  };
}

/**
 * True for API Gateway's authorizer refusal, which it marks `x-amzn-ErrorType:
 * UnauthorizedException`. A backend's own 401 is never one, whatever its body says (NestJS
 * answers `{"message":"Unauthorized"}` too): replaying it would send a POST twice.
 */
function isAuthorizerRefusal(res: AnswerHeaders): boolean {
  return res.header('x-amzn-errortype')?.startsWith('UnauthorizedException') === true;
}

/** The raw access token in Authorization, as Scribe's SDK sends it (Scribe API v2). */
export function bearerAuthorizer(): Authorizer {
  return {
    rejectionStatus: 401,
    authorize(ctx) {
      const session = sessionOf(ctx);
      const held = session.held?.();
      if (typeof held === 'string') return { headers: { authorization: held }, used: held };
      return session
        .accessToken(ctx.signal)
        .then((token) => ({ headers: { authorization: token }, used: token }));
    },
    judge(res) {
      return isAuthorizerRefusal(res) ? { kind: 'replay' } : { kind: 'final' };
    },
    async reauthorize(ctx, rejected) {
      const token = await sessionOf(ctx).replaceAccessToken(rejected.used as string, ctx.signal);
      return { headers: { authorization: token }, used: token };
    },
  };
}
