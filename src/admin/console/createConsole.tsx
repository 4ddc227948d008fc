import { timingSafeEqual } from 'node:crypto';
import express, { Router, type ErrorRequestHandler, type RequestHandler } from 'express';
import { bearerCheck } from '../../http/index.js';
import type { OperatorActions, Session, SessionCache } from '../../session/index.js';
import { consoleCss, consoleIcon, consoleScript } from './assets.js';
import { ConsoleSessions, type ConsoleSessionLimits } from './consoleSessions.js';
import { consoleSessionOf } from './formActions.js';
import { clearedCookie, cookieName, readCookie, sessionCookie } from './cookie.js';
import { perClientPages } from './perClientPages.js';
import { Layout } from './pages/Layout.js';
import { SignInPage } from './pages/SignInPage.js';
import type { MinuteCounts } from './pages/TrafficChart.js';
import { sendPage } from './render.js';
import { isSameOriginPost } from './sameOriginPost.js';
import { securityHeaders } from './securityHeaders.js';
import { sharedPages } from './sharedPages.js';
import { SignInThrottle } from './signInThrottle.js';

export interface ConsoleOptions {
  adminToken: string;
  /** The admin listener has TLS: the cookie is `Secure` with the `__Host-` prefix. */
  tls?: boolean;
  /**
   * Whether a `Host` is the admin listener's own (loopback or ADMIN_ALLOWED_HOSTS): the console
   * answers no other, against DNS rebinding (default: any).
   */
  ownHost?: (host: string | undefined) => boolean;
  /** Shared mode: the one session and its operator actions (those the admin API calls). */
  shared?: { session: Session; actions: OperatorActions } | undefined;
  /** Per-client mode: the session cache. */
  perClient?: { sessions: SessionCache } | undefined;
  /** The last hour of proxied requests, per minute. */
  requests: { minutes(): MinuteCounts[] };
  /** Per-client mode: the last hour of client logins, per minute, by outcome. */
  logins?: { minutes(): MinuteCounts[] };
  /** Console session lifetimes (default idle 30 min, absolute 8 h). */
  sessionLimits?: Partial<ConsoleSessionLimits>;
  /** Slowing of wrong tokens (default: 10 failures per 15 min and address). */
  throttle?: { windowMs?: number; maxFailures?: number };
  onAction?: (action: string, outcome: 'ok' | 'failed', detail?: string) => void;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Compare two CSRF tokens in constant time. */
function sameToken(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/** A refusal page (403): the form came from elsewhere, or the session ended. */
function refused(text: string): RequestHandler {
  return (_req, res) =>
    sendPage(
      res,
      403,
      <Layout title="Refused">
        <div class="card">
          <p>{text}</p>
          <p>
            <a href="/">Back to the console</a>
          </p>
        </div>
      </Layout>,
    );
}

/**
 * The account console on the admin listener's `/` (DESIGN.md, "Faces: Console"): sign in with
 * the admin token for a server-side session cookie, then pages that call the same session
 * operations as the admin API. Forms need the session's CSRF token and a same-origin post; every
 * answer carries a strict CSP and is never cached.
 */
export function createConsole(options: ConsoleOptions): Router {
  const { shared, perClient } = options;
  if (!shared === !perClient) {
    throw new Error('the console needs exactly one of a shared session or a per-client cache');
  }
  const tls = options.tls ?? false;
  const sessions = new ConsoleSessions(options.sessionLimits);
  const throttle = new SignInThrottle(options.throttle);
  const isAdminToken = bearerCheck(options.adminToken);
  const router = Router();
  router.use(securityHeaders);
  const ownHost = options.ownHost;
  if (ownHost) {
    router.use((req, res, next) =>
      ownHost(req.headers.host)
        ? next()
        : refused(
            'The console answers only on a loopback address (127.0.0.1 or localhost, as kubectl port-forward gives) or a name in ADMIN_ALLOWED_HOSTS.',
          )(req, res, next),
    );
  }

  router.get('/console.css', (_req, res) => {
    res.type('text/css').send(consoleCss);
  });
  router.get('/console.js', (_req, res) => {
    res.type('text/javascript').send(consoleScript);
  });
  router.get('/console.svg', (_req, res) => {
    res.type('image/svg+xml').send(consoleIcon);
  });

  const form = express.urlencoded({ extended: false, limit: '8kb', parameterLimit: 20 });
  const sameOrigin: RequestHandler = (req, res, next) =>
    isSameOriginPost(req.headers, tls)
      ? next()
      : refused('This form was sent from another site, so it was refused.')(req, res, next);

  router.get('/sign-in', (req, res) => {
    if (sessions.use(readCookie(req.headers.cookie, cookieName(tls))))
      return res.redirect(303, '/');
    sendPage(res, 200, <SignInPage />);
  });

  router.post('/sign-in', sameOrigin, form, async (req, res) => {
    const address = req.socket.remoteAddress ?? 'unknown';
    const verdict = throttle.verdict(address);
    if (verdict.locked) {
      options.onAction?.('console-sign-in', 'failed', 'throttled');
      res.setHeader('retry-after', String(verdict.retryAfterS));
      return sendPage(
        res,
        429,
        <SignInPage
          flash={{
            kind: 'error',
            text: `Too many wrong tokens: try again in ${Math.ceil(verdict.retryAfterS / 60)} min.`,
          }}
        />,
      );
    }
    const token = (req.body as Record<string, unknown> | undefined)?.['token'];
    if (typeof token === 'string' && token.length <= 512 && isAdminToken(token.trim())) {
      throttle.succeeded(address);
      const session = sessions.create();
      res.setHeader('set-cookie', sessionCookie(tls, session.id));
      options.onAction?.('console-sign-in', 'ok');
      return res.redirect(303, '/');
    }
    await sleep(throttle.failed(address));
    options.onAction?.('console-sign-in', 'failed', 'wrong_token');
    sendPage(
      res,
      401,
      <SignInPage flash={{ kind: 'error', text: 'That is not the admin token.' }} />,
    );
  });

  /** Pages need a live console session; forms also its CSRF token. */
  const guard: RequestHandler = (req, res, next) => {
    const read = req.method === 'GET' || req.method === 'HEAD';
    // console.js reloads its page with auto=1: that is not the operator's use of the session.
    const automatic = read && req.query['auto'] === '1';
    const session = sessions.use(readCookie(req.headers.cookie, cookieName(tls)), !automatic);
    if (read) {
      if (!session) return res.redirect(303, '/sign-in');
      res.locals['consoleSession'] = session;
      return next();
    }
    if (!session) return refused('The console session ended: sign in again.')(req, res, next);
    const csrf = (req.body as Record<string, unknown> | undefined)?.['_csrf'];
    if (typeof csrf !== 'string' || !sameToken(csrf, session.csrf)) {
      return refused('The form is out of date (its token does not match): reload the page.')(
        req,
        res,
        next,
      );
    }
    res.locals['consoleSession'] = session;
    next();
  };
  const onPost =
    (handler: RequestHandler): RequestHandler =>
    (req, res, next) =>
      req.method === 'POST' ? handler(req, res, next) : next();

  router.post('/sign-out', sameOrigin, form, guard, (_req, res) => {
    sessions.end(consoleSessionOf(res).id);
    res.setHeader('set-cookie', clearedCookie(tls));
    options.onAction?.('console-sign-out', 'ok');
    res.redirect(303, '/sign-in');
  });

  const pages = shared
    ? sharedPages({ ...shared, requests: options.requests, onAction: options.onAction })
    : perClientPages({
        sessions: (perClient as { sessions: SessionCache }).sessions,
        requests: options.requests,
        logins: options.logins ?? { minutes: () => [] },
        onAction: options.onAction,
      });
  router.use(onPost(sameOrigin), onPost(form), guard, pages);

  /** A form too large or unreadable, or a bug: a plain page, and the error's name in the log. */
  const onError: ErrorRequestHandler = (err: unknown, _req, res, _next) => {
    if (res.headersSent) return res.destroy();
    const e = err as { type?: string; name?: string; status?: number };
    options.onAction?.('console-error', 'failed', e.type ?? e.name ?? 'error');
    const tooLarge = e.type === 'entity.too.large' || e.type === 'parameters.too.many';
    // The form parser's refusals carry a 4xx status (a body that does not inflate has no type).
    const unreadable = e.type !== undefined || (e.status !== undefined && e.status < 500);
    sendPage(
      res,
      tooLarge ? 413 : unreadable ? 400 : 500,
      <Layout title="Not done">
        <div class="card">
          <p>
            {tooLarge
              ? 'The form was too large.'
              : unreadable
                ? 'The form could not be read.'
                : "The console failed inside the proxy (see the proxy's log)."}
          </p>
          <p>
            <a href="/">Back to the console</a>
          </p>
        </div>
      </Layout>,
    );
  };
  router.use(onError);
  return router;
}
