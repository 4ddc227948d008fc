import { expect } from 'chai';
import express from 'express';
import { createServer, type Server } from 'node:http';
import { adminTokenThrottle, requireAdminToken } from '../../src/admin/requireAdminToken.js';
import { call } from '../support/http.js';
import { closeNow, listenOnLoopback } from '../support/loopbackServer.js';

const adminToken = 'throttle-admin-token-0123456789';

describe('the admin token throttle counts wrong tokens per client address', function () {
  let server: Server | undefined;
  let base: string;

  before(async function () {
    const app = express();
    // Stands in for clients at other addresses: a test can only connect from loopback, so the
    // address the throttle keys on comes from a test header here (never in the service).
    app.use((req, _res, next) => {
      const address = req.headers['x-test-client-address'];
      if (typeof address === 'string') Object.defineProperty(req, 'ip', { value: address });
      next();
    });
    app.get(
      '/admin/session',
      requireAdminToken(adminToken, { throttle: adminTokenThrottle() }),
      (_req, res) => {
        res.json({ ok: true });
      },
    );
    server = createServer(app);
    base = await listenOnLoopback(server);
  });
  after(async function () {
    await closeNow(server);
  });

  const ask = (address: string, token: string) =>
    call(base, {
      path: '/admin/session',
      headers: { authorization: `Bearer ${token}`, 'x-test-client-address': address },
    });

  it("a pod on another node of the cluster's IPv6 range (another /64) cannot lock the operator out", async function () {
    // Kubernetes gives each node a /64 of pods out of the cluster's range.
    const attacker = 'fd00:10:244:2::9';
    const operator = 'fd00:10:244:1::5';
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) {
      statuses.push((await ask(attacker, `wrong-guess-${i}-0123456789`)).status);
    }
    expect(statuses.slice(-1), 'the guessing address is throttled').to.deep.equal([429]);
    expect((await ask(operator, adminToken)).status, 'the operator is not locked out').to.equal(
      200,
    );
  });
});
