import { expect } from 'chai';
import type { Page } from 'playwright-core';
import type { Service } from '../../src/server/index.js';
import { hasChromium } from '../support/browser.js';
import { ConsoleTab } from '../support/consolePage.js';
import { call } from '../support/http.js';
import { World } from '../support/world.js';

const adminToken = 'per-client-console-token-8d2e4b';
const users = [
  { username: 'alice-gateway', password: 'Alice-Gateway-Passw0rd!' },
  { username: 'bob-gateway', password: 'Bob-Gateway-Passw0rd!' },
];

const basic = (username: string, password: string) =>
  `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;

describe('the console in Chromium, per-client mode', function () {
  this.timeout(120_000);
  let world: World;
  let service: Service;
  let page: Page;
  let tab: ConsoleTab;
  const check = (name: string) => tab.check(name);
  const follow = (name: string) => tab.follow(name);
  const rows = () => page.locator('tbody tr td:first-child').allTextContents();

  before(async function () {
    if (!hasChromium()) this.skip();
    world = await World.start();
    for (const user of users)
      await world.cognito.createUser(world.pool, user.username, user.password);
    ({ service } = await world.proxy({
      ADMIN_TOKEN: adminToken,
      PROXY_SESSIONS: 'per-client',
      SCRIBE_USERNAME: undefined,
      SCRIBE_PASSWORD: undefined,
    }));
    for (const user of users) {
      const answer = await call(service.proxyUrl, {
        path: '/v1/hello',
        headers: { authorization: basic(user.username, user.password) },
      });
      expect(answer.status, answer.body.toString()).to.equal(200);
    }
    const wrong = await call(service.proxyUrl, {
      path: '/v1/hello',
      headers: { authorization: basic('alice-gateway', 'not-her-password') },
    });
    expect(wrong.status).to.equal(401);
    tab = await ConsoleTab.open(adminToken);
    page = tab.page;
  });
  after(async function () {
    await tab?.close();
    await world?.stop();
  });

  it('lists the sessions held and the last hour of logins after sign-in', async function () {
    await page.goto(`${service.adminUrl}/`);
    await page.fill('#token', adminToken);
    await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
    expect(new URL(page.url()).pathname).to.equal('/');
    expect((await rows()).sort()).to.deep.equal(['alice-gateway', 'bob-gateway']);
    const outcomes = await page.locator('#login-outcomes').textContent();
    expect(outcomes).to.include('ok2').and.include('rejected1');
    await check('sessions');
  });

  it('filters the list by name', async function () {
    await page.fill('#filter', 'BOB');
    await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
    expect(await rows()).to.deep.equal(['bob-gateway']);
    expect(new URL(page.url()).searchParams.get('name')).to.equal('BOB');
    await check('sessions-filtered');
    await follow('Show all');
  });

  it('evicts one account after a confirmation; its next request logs in again', async function () {
    await follow('Evict alice-gateway');
    expect(await page.locator('main').textContent()).to.include('Evict every session of');
    await check('evict-confirm');
    await follow('Yes, evict');
    expect(await page.locator('[role=status]').textContent()).to.include(
      'Evicted 1 session(s) of alice-gateway',
    );
    expect(await rows()).to.deep.equal(['bob-gateway']);
    expect(service.sessions?.list().map((s) => s.username)).to.deep.equal(['bob-gateway']);
    const again = await call(service.proxyUrl, {
      path: '/v1/hello',
      headers: { authorization: basic(users[0]!.username, users[0]!.password) },
    });
    expect(again.status).to.equal(200);
    await page.reload();
    expect((await rows()).sort()).to.deep.equal(['alice-gateway', 'bob-gateway']);
    await page.fill('#filter', 'alice');
    await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
    await follow('Evict alice-gateway');
    await follow('Yes, evict');
  });

  it('evicts and revokes after a confirmation that says the tokens are revoked', async function () {
    await follow('Evict and revoke bob-gateway');
    expect(await page.locator('main').textContent()).to.include('revoked at Cognito');
    await check('evict-revoke-confirm');
    await follow('Yes, evict and revoke');
    expect(await page.locator('[role=status]').textContent()).to.include(
      '1 refresh token(s) revoked',
    );
    expect(await page.locator('main').textContent()).to.include('No session is held');
    expect(service.sessions?.size).to.equal(0);
  });
});
