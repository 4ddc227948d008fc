import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Request, Response } from 'express';
// Not the admin index, nor the throttle itself: its router and OpenAPI document load zod, and
// express-rate-limit is loaded only with ADMIN_TOKEN (which is when a token can be checked).
import { countWrongToken, lockedOut } from '../admin/adminTokenMarks.js';
import type { AdminTokenRefusal, AdminTokenThrottle } from '../admin/requireAdminToken.js';
import { bearerCheck, bearerToken, sendJsonError } from '../http/index.js';
import type { Metrics } from '../observability/index.js';
import { healthRoute } from './healthRoute.js';

/** What /readyz reports: can the proxy serve, its state, and the detail for the operator. */
export type Readiness = () => { ready: boolean; state: string; detail: object };

/** The admin token /readyz shows the detail for, and the listener's count of wrong ones. */
export interface ReadyzToken {
  adminToken: string;
  throttle: AdminTokenThrottle;
  /**
   * Whether a `Host` is the admin listener's own: a token sent under another name (a rebound
   * page's) is taken as no token, so it neither shows the detail nor counts toward the throttle.
   */
  ownHost: (host: string | undefined) => boolean;
  /** Told of a wrong token (or one from a locked-out address) and the status answered. */
  onRefused?: (reason: AdminTokenRefusal, status: number) => void;
}

/**
 * The health routes as a middleware of node:http's own request and response (express mounts it
 * as it is): answers its routes, and calls `next` for any other request.
 */
export type HealthRoutes = (req: IncomingMessage, res: ServerResponse, next: () => void) => void;

// What the throttle adds to an answer: /readyz answers a locked-out address as any probe.
const throttleHeaders = ['ratelimit', 'ratelimit-policy', 'retry-after'];

/** Answer `body` as express's `res.send` did: status, Content-Type, Content-Length. */
function send(res: ServerResponse, status: number, type: string, body: string): void {
  res.statusCode = status;
  res.setHeader('Content-Type', type);
  res.setHeader('Content-Length', Buffer.byteLength(body));
  res.end(body); // Node sends no body to a HEAD request
}

function sendJson(res: ServerResponse, status: number, value: object): void {
  send(res, status, 'application/json; charset=utf-8', JSON.stringify(value));
}

// An OPTIONS request to a route, answered as express's router does: the methods it serves.
function sendAllowed(res: ServerResponse): void {
  res.statusCode = 200;
  res.setHeader('Allow', 'GET, HEAD');
  res.setHeader('Content-Length', 9);
  res.setHeader('Content-Type', 'text/plain');
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.end('GET, HEAD');
}

/**
 * /healthz (process up), /readyz (the shared session can sign now; a per-client gateway can
 * reach Cognito), /metrics (Prometheus). /readyz is reachable by probes without a token, so
 * without the admin token it says the state only: the username, identity id and times are for
 * the operator. A token sent there is a guess like one at the admin API: counted by the same
 * per-address throttle and logged; a locked-out address gets the state only, right token or not.
 * A probe without a token never touches the throttle, and answers any Host (the kubelet's is the
 * pod's address); a token counts only under the listener's own names. Plain node:http, so a
 * listener without the admin API (no ADMIN_TOKEN) never loads express; with a token, the routes
 * run inside the admin app's express, whose request and response the throttle needs.
 */
export function healthRoutes(
  readiness: Readiness,
  metrics: Metrics,
  token?: ReadyzToken,
): HealthRoutes {
  const isAdmin = token ? bearerCheck(token.adminToken) : () => false;
  const answer = (res: ServerResponse, full: boolean) => {
    const { ready, state, detail } = readiness();
    sendJson(res, ready ? 200 : 503, full ? detail : { state });
  };
  const readyz = (req: IncomingMessage, res: ServerResponse) => {
    const presented = bearerToken(req.headers.authorization);
    if (presented === undefined || !token || !token.ownHost(req.headers.host)) {
      return answer(res, false);
    }
    const response = res as Response;
    void token.throttle(req as Request, response, () => {
      for (const header of throttleHeaders) res.removeHeader(header);
      if (lockedOut(response)) {
        answer(res, false);
        return token.onRefused?.('too_many_failures', res.statusCode);
      }
      if (isAdmin(presented)) return answer(res, true);
      countWrongToken(response);
      answer(res, false);
      token.onRefused?.('wrong_token', res.statusCode);
    });
  };
  const scrape = async (res: ServerResponse) => {
    send(res, 200, metrics.registry.contentType, await metrics.registry.metrics());
  };
  return (req, res, next) => {
    const route = healthRoute(req.method, req.url);
    if (route === undefined) return next();
    if (req.method === 'OPTIONS') return sendAllowed(res);
    if (route === '/healthz') return sendJson(res, 200, { status: 'ok' });
    if (route === '/readyz') return readyz(req, res);
    scrape(res).catch(() =>
      sendJsonError(res, 500, 'internal_error', 'the metrics could not be collected'),
    );
  };
}
