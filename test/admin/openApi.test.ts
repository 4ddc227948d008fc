import { expect } from 'chai';
import type { Router } from 'express';
import { generateSync } from 'otplib';
import {
  adminOperations,
  adminRouter,
  openApiDocument,
  sessionsRouter,
  type AdminOperation,
} from '../../src/admin/index.js';
import type { OperatorActions, Session, SessionCache } from '../../src/session/index.js';
import { call, type Answer } from '../support/http.js';
import { registerSecret } from '../support/secretScan.js';
import { World } from '../support/world.js';

const adminToken = 'openapi-admin-token-5c1e9f27';
const auth = { authorization: `Bearer ${adminToken}` };

/** The routes an express router answers, as `METHOD /path` with OpenAPI's `{param}`. */
function routesOf(router: Router): string[] {
  const out: string[] = [];
  for (const layer of router.stack) {
    const route = layer.route as
      { path: string | string[]; methods: Record<string, boolean> } | undefined;
    if (!route || Array.isArray(route.path)) continue; // the other mode's 409 catch-all
    for (const method of Object.keys(route.methods)) {
      if (method === '_all') continue;
      out.push(`${method.toUpperCase()} ${route.path.replace(/:(\w+)/g, '{$1}')}`);
    }
  }
  return out.sort();
}

const documented = (mode: 'shared' | 'per-client') =>
  adminOperations
    .filter((op) => op.mode === mode || op.mode === 'both')
    .map((op) => `${op.method.toUpperCase()} ${op.path}`)
    .sort();

const operation = (id: string): AdminOperation => {
  const op = adminOperations.find((o) => o.id === id);
  if (!op) throw new Error(`no documented operation ${id}`);
  return op;
};

/** Call a documented operation; a 200 must match its documented answer. */
async function invoke(
  adminUrl: string,
  id: string,
  options: { body?: unknown; path?: string; headers?: Record<string, string> } = {},
): Promise<Answer> {
  const op = operation(id);
  const answer = await call(adminUrl, {
    method: op.method.toUpperCase(),
    path: `/admin${options.path ?? op.path}`,
    headers: {
      ...(options.headers ?? auth),
      ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    body: options.body !== undefined ? JSON.stringify(options.body) : undefined,
  });
  if (answer.status === 200) {
    const parsed = op.ok.safeParse(answer.json());
    expect(parsed.success, `${id}: ${JSON.stringify(parsed.error?.issues)}`).to.equal(true);
  }
  if (answer.status === 200 && op.body && options.body !== undefined) {
    expect(op.body.safeParse(options.body).success, `${id}: the test's body is valid`).to.equal(
      true,
    );
  }
  return answer;
}

type Responses = Record<string, Record<string, { responses: Record<string, unknown> }>>;

/**
 * The statuses every admin route can answer before its own work, found by asking it: a foreign
 * Host, a body it cannot read (not JSON, malformed, too large), then wrong tokens until 429.
 */
async function answersBeforeTheRoute(adminUrl: string): Promise<Array<[string, number]>> {
  const seen: Array<[string, number]> = [];
  const send = async (op: AdminOperation, headers: Record<string, string>, body?: string) => {
    const answer = await call(adminUrl, {
      method: op.method.toUpperCase(),
      path: `/admin${op.path.replace('{username}', 'x')}`,
      headers: { ...auth, ...headers },
      body,
    });
    seen.push([op.id, answer.status]);
  };
  const json = { 'content-type': 'application/json' };
  for (const op of adminOperations) {
    await send(op, { host: 'rebound.example' });
    await send(op, { 'content-type': 'text/plain' }, 'x');
    await send(op, json, '{');
    await send(op, json, JSON.stringify({ padding: 'x'.repeat(20_000) }));
  }
  for (let i = 0; i < 10; i++) {
    await send(adminOperations[0] as AdminOperation, {
      authorization: `Bearer wrong-admin-token-${i}-0123456789`,
    });
  }
  for (const op of adminOperations) await send(op, {});
  return seen;
}

function expectDocumented(seen: Array<[string, number]>, expected: number[]): void {
  const doc = openApiDocument() as { paths: Responses };
  const statuses = new Set(seen.map(([, status]) => status));
  for (const status of expected) expect([...statuses]).to.include(status);
  for (const [id, status] of seen) {
    const op = operation(id);
    const responses = doc.paths[`/admin${op.path}`]?.[op.method]?.responses ?? {};
    expect(Object.keys(responses), `${id} answered ${status}`).to.include(String(status));
  }
}

describe('the admin API described: GET /admin/openapi.json', function () {
  this.timeout(120_000);

  it('documents every route of both admin routers, and no route that is not there', function () {
    const stub = {} as unknown;
    const shared = adminRouter({
      session: stub as Session,
      actions: stub as OperatorActions,
      adminToken,
    });
    const perClient = sessionsRouter({ sessions: stub as SessionCache, adminToken });
    expect(routesOf(shared)).to.deep.equal(documented('shared'));
    expect(routesOf(perClient)).to.deep.equal(documented('per-client'));
  });

  it('is OpenAPI 3.1 with a request schema for every body and an answer for 200 and 401', function () {
    const doc = openApiDocument() as {
      openapi: string;
      paths: Record<string, Record<string, { responses: object; requestBody?: object }>>;
    };
    expect(doc.openapi).to.equal('3.1.0');
    for (const op of adminOperations) {
      const entry = doc.paths[`/admin${op.path}`]?.[op.method];
      expect(entry, `${op.method} ${op.path}`).to.not.equal(undefined);
      expect(entry?.responses).to.include.keys('200', '401');
      expect(entry?.requestBody !== undefined, op.id).to.equal(op.body !== undefined);
    }
  });

  describe('every documented route, called on a proxy in front of the real peers', function () {
    let world: World;
    before(async function () {
      world = await World.start();
      await world.cognito.createUser(world.pool, 'described', 'Described-Passw0rd!');
      registerSecret('Described-Passw0rd!');
    });
    after(async function () {
      await world?.stop();
    });

    it('shared mode: each answers as documented (and 401 without the token)', async function () {
      const { service } = await world.proxy({
        ADMIN_TOKEN: adminToken,
        SCRIBE_USERNAME: 'described',
        SCRIBE_PASSWORD: 'Described-Passw0rd!',
      });
      const url = service.adminUrl;
      const ok = async (id: string, body?: unknown) => {
        const answer = await invoke(url, id, { body });
        expect(answer.status, `${id}: ${answer.body.toString()}`).to.equal(200);
        return answer.json();
      };
      const called = new Set<string>();
      const track = async (id: string, body?: unknown) => {
        called.add(id);
        return ok(id, body);
      };
      expect(await track('getOpenApi')).to.deep.equal(openApiDocument());
      expect(await track('getSession')).to.include({ state: 'ready' });
      await track('login', {});
      const setup = (await track('startMfaSetup', {})) as { secret: string };
      registerSecret(setup.secret);
      await track('verifyMfaSetup', { code: generateSync({ secret: setup.secret }) });
      await track('setPassword', {
        password: 'Described-Passw0rd!',
        newPassword: 'Described-Passw0rd2!',
      });
      registerSecret('Described-Passw0rd2!');
      await track('forgotPassword', {});
      await track('confirmPassword', { code: '123456', newPassword: 'Described-Passw0rd3!' });
      registerSecret('Described-Passw0rd3!');
      // The login after the revoke meets the MFA now on: answered at /admin/mfa.
      expect(await track('revoke', {})).to.include({ state: 'mfa-required' });
      expect(await track('answerMfa', { code: generateSync({ secret: setup.secret }) })).to.include(
        { state: 'ready' },
      );
      const sharedIds = adminOperations.filter((op) => op.mode !== 'per-client').map((op) => op.id);
      expect([...called].sort()).to.deep.equal(sharedIds.sort());
      for (const id of sharedIds) {
        const refused = await invoke(url, id, { headers: {} });
        expect(refused.status, id).to.equal(401);
      }
      for (const op of adminOperations.filter((o) => o.mode === 'per-client')) {
        const elsewhere = await invoke(url, op.id, { path: op.path.replace('{username}', 'x') });
        expect(elsewhere.status, op.id).to.equal(404);
      }
      await service.close(1000);
    });

    it('documents every status a route answers before its own (foreign Host, unreadable body, token throttle), in both modes', async function () {
      for (const mode of ['shared', 'per-client']) {
        const { service } = await world.proxy({
          ADMIN_TOKEN: adminToken,
          ...(mode === 'per-client'
            ? {
                PROXY_SESSIONS: 'per-client',
                SCRIBE_USERNAME: undefined,
                SCRIBE_PASSWORD: undefined,
              }
            : {}),
        });
        // Only the shared-mode router reads JSON bodies; a gateway's shared routes are all 409.
        const expected = mode === 'shared' ? [400, 403, 413, 415, 429] : [403, 409, 429];
        expectDocumented(await answersBeforeTheRoute(service.adminUrl), expected);
        await service.close(1000);
      }
    });

    it('per-client mode: each answers as documented, and the shared routes 409', async function () {
      const { service } = await world.proxy({
        ADMIN_TOKEN: adminToken,
        PROXY_SESSIONS: 'per-client',
        SCRIBE_USERNAME: undefined,
        SCRIBE_PASSWORD: undefined,
      });
      await world.cognito.createUser(world.pool, 'listed', 'Listed-Passw0rd!');
      registerSecret('Listed-Passw0rd!');
      const basic = `Basic ${Buffer.from('listed:Listed-Passw0rd!').toString('base64')}`;
      const proxied = await call(service.proxyUrl, {
        path: '/v1/x',
        headers: { authorization: basic },
      });
      expect(proxied.status).to.equal(200);
      const url = service.adminUrl;
      expect((await invoke(url, 'getOpenApi')).status).to.equal(200);
      const list = await invoke(url, 'listSessions');
      expect(list.status).to.equal(200);
      expect(list.json()).to.have.nested.property('sessions[0].username', 'listed');
      const evicted = await invoke(url, 'evictSessions', { path: '/sessions/listed?revoke=true' });
      expect(evicted.status, evicted.body.toString()).to.equal(200);
      expect(evicted.json()).to.include({ evicted: 1, revoked: 1 });
      const gone = await invoke(url, 'evictSessions', { path: '/sessions/listed' });
      expect(gone.status).to.equal(404);
      for (const op of adminOperations.filter((o) => o.mode === 'shared')) {
        const answer = await invoke(url, op.id, { body: op.body ? {} : undefined });
        expect(answer.status, op.id).to.equal(409);
      }
      for (const op of adminOperations.filter((o) => o.mode !== 'shared')) {
        const refused = await invoke(url, op.id, {
          headers: {},
          path: op.path.replace('{username}', 'x'),
        });
        expect(refused.status, op.id).to.equal(401);
      }
      await service.close(1000);
    });
  });
});
