import { expect } from 'chai';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { createMetrics, type Metrics } from '../../src/observability/index.js';
import { createAdminApp } from '../../src/server/adminApp.js';
import { Router } from 'express';
import { healthOnlyApp } from '../../src/server/healthOnlyApp.js';
import { healthRoutes, type Readiness } from '../../src/server/healthRoutes.js';

type App = (req: IncomingMessage, res: ServerResponse) => void;

/**
 * The health routes as they were written for express (before they moved to node:http): the
 * reference for what probes and scrapers saw, express's routing, HEAD and OPTIONS included.
 */
function expressHealthRoutes(readiness: Readiness, metrics: Metrics): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', (_req, res) => {
    const { ready, state } = readiness();
    res.status(ready ? 200 : 503).json({ state });
  });
  router.get('/metrics', async (_req, res) => {
    res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });
  return router;
}

function serve(app: App): Promise<Server> {
  return new Promise((resolve) => {
    const server = createServer(app).listen(0, '127.0.0.1', () => resolve(server));
  });
}

/** One raw request on its own connection; the answer with its Date header dropped. */
function exchange(server: Server, request: string): Promise<string> {
  const { port } = server.address() as AddressInfo;
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.end(request));
    let text = '';
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => (text += chunk));
    socket.on('error', reject);
    socket.on('close', () => resolve(text.replace(/^Date: .*\r\n/im, '')));
  });
}

// What probes, scrapers and scanners send the admin listener: the routes in every form express
// matched (any case, a trailing slash, a query), every method, and paths that are no route.
const targets = [
  '/healthz',
  '/readyz',
  '/HEALTHZ/',
  '/ReadyZ?verbose=1',
  '/healthz//',
  '/healthz;x',
  '/healthz#fragment',
  '/health%7Az',
  '/healthz/x',
  '/',
  '/admin/status',
  '/nope',
  '*',
  'http://admin.example/healthz',
];
const methods = ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'OPTIONS', 'PATCH'];

describe('the admin listener without ADMIN_TOKEN (health and metrics on node:http)', function () {
  let express: Server;
  let plain: Server;
  let state: ReturnType<Readiness> = { ready: true, state: 'ready', detail: {} };
  const readiness: Readiness = () => state;

  before(async function () {
    const metrics = createMetrics({ version: '1.2.3', mode: 'sigv4', sessions: 'shared' });
    express = await serve(
      createAdminApp((req, res, next) =>
        expressHealthRoutes(readiness, metrics)(req as never, res as never, next),
      ),
    );
    plain = await serve(healthOnlyApp(healthRoutes(readiness, metrics)));
  });

  after(function () {
    express.close();
    plain.close();
  });

  for (const ready of [true, false]) {
    it(`answers every method and path as the health routes on express did (session ${ready ? 'ready' : 'not ready'})`, async function () {
      state = ready
        ? { ready: true, state: 'ready', detail: { state: 'ready', username: 'secret-user' } }
        : { ready: false, state: 'needs-login', detail: { state: 'needs-login' } };
      for (const method of methods) {
        for (const target of targets.filter((t) => t !== '*' || method === 'OPTIONS')) {
          const request = `${method} ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer some-guess-0123456789\r\nConnection: close\r\n\r\n`;
          const [before, after] = [
            await exchange(express, request),
            await exchange(plain, request),
          ];
          expect(after, `${method} ${target}`).to.equal(before);
        }
      }
    });
  }

  it('answers /metrics with the same exposition and type as on express', async function () {
    const request = 'GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n';
    const head = (answer: string) => answer.slice(0, answer.indexOf('\r\n\r\n'));
    const [before, after] = [await exchange(express, request), await exchange(plain, request)];
    expect(head(after).replace(/Content-Length: \d+/, '')).to.equal(
      head(before).replace(/Content-Length: \d+/, ''),
    );
    expect(after).to.match(/^HTTP\/1\.1 200 OK\r\n/);
    expect(after).to.include('Content-Type: text/plain; version=0.0.4; charset=utf-8');
    expect(after).to.include('scribe_proxy_build_info{');
  });

  it('never shows the username on /readyz, whatever token is sent: no token can be checked', async function () {
    const answer = await exchange(
      plain,
      'GET /readyz HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer x\r\nConnection: close\r\n\r\n',
    );
    expect(answer).to.not.include('secret-user');
  });
});
