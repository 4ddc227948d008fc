import { expect } from 'chai';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { generateSync, generateURI } from 'otplib';
import jsqr from 'jsqr';
import { PNG } from 'pngjs';
import type { Page } from 'playwright-core';
import type { Service } from '../../src/server/index.js';
import { hasChromium, type LaunchedBrowser } from '../support/browser.js';
import { ConsoleTab } from '../support/consolePage.js';
import { call } from '../support/http.js';
import { registerSecret } from '../support/secretScan.js';
import { World, type LogCapture } from '../support/world.js';

const adminToken = 'console-admin-token-3f9a1c7e5b2d';
const temporary = 'Temp-Console-Passw0rd!';
const chosen = 'Chosen-Console-Passw0rd!';
const changed = 'Changed-Console-Passw0rd!';
const reset = 'Reset-Console-Passw0rd!';
const username = 'console-user';

// jsqr is CommonJS with `exports.default`: under NodeNext its default import is the module.
type ReadQr = (data: Uint8ClampedArray, width: number, height: number) => { data: string } | null;
const jsQR = (jsqr as unknown as { default: ReadQr }).default;

/** The QR code on the page, read back from a screenshot of it. */
async function readQrCode(page: Page): Promise<string | undefined> {
  const png = PNG.sync.read(await page.locator('svg.qr').screenshot());
  const found = jsQR(new Uint8ClampedArray(png.data), png.width, png.height);
  return found?.data;
}

describe('the console in Chromium, shared mode', function () {
  this.timeout(120_000);
  let world: World;
  let service: Service;
  let logs: LogCapture;
  let browser: LaunchedBrowser;
  let page: Page;
  let mfaSecret: string;
  let tab: ConsoleTab;
  const check = (name: string) => tab.check(name);
  const follow = (name: string) => tab.follow(name);
  const nav = (name: string) => tab.nav(name);

  before(async function () {
    if (!hasChromium()) this.skip();
    [chosen, changed, reset, temporary].forEach(registerSecret);
    world = await World.start();
    await world.cognito.createUser(world.pool, username, temporary, { temporary: true });
    ({ service, logs } = await world.proxy({
      ADMIN_TOKEN: adminToken,
      SCRIBE_USERNAME: username,
      SCRIBE_PASSWORD: temporary,
    }));
    tab = await ConsoleTab.open(adminToken);
    ({ browser, page } = tab);
  });
  after(async function () {
    await tab?.close();
    await world?.stop();
  });

  it('sends a visitor without a session to the sign-in page, and refuses a wrong token', async function () {
    await page.goto(`${service.adminUrl}/`);
    expect(new URL(page.url()).pathname).to.equal('/sign-in');
    await check('sign-in');
    await page.fill('#token', 'not-the-admin-token-at-all');
    const [answer] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/sign-in') && r.request().method() === 'POST'),
      page.click('button[type=submit]'),
    ]);
    expect(answer.status()).to.equal(401);
    expect(await page.locator('[role=alert]').textContent()).to.include('not the admin token');
    expect((await browser.context.cookies()).map((c) => c.name)).to.not.include('scribe-console');
  });

  it('signs in with the admin token: an HttpOnly, SameSite=Strict cookie and the strict headers', async function () {
    await page.fill('#token', adminToken);
    const [answer] = await Promise.all([
      page.waitForResponse((r) => new URL(r.url()).pathname === '/' && r.status() === 200),
      page.click('button[type=submit]'),
    ]);
    const headers = answer.headers();
    expect(headers['content-security-policy']).to.include("script-src 'self'");
    expect(headers['content-security-policy']).to.include("frame-ancestors 'none'");
    expect(headers['content-security-policy']).to.not.include('unsafe-inline');
    expect(headers).to.include({
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'cache-control': 'no-store',
    });
    const cookie = (await browser.context.cookies()).find((c) => c.name === 'scribe-console');
    expect(cookie, 'the session cookie').to.not.equal(undefined);
    expect(cookie).to.include({ httpOnly: true, sameSite: 'Strict', path: '/' });
    expect(cookie?.value).to.not.include(adminToken);
    expect(page.url()).to.not.include(adminToken);
    expect(
      await page.evaluate('JSON.stringify(localStorage) + JSON.stringify(sessionStorage)'),
    ).to.not.include(adminToken);
  });

  it('status says the password is temporary and links to the first login', async function () {
    expect(await page.locator('#state').textContent()).to.equal('new-password-required');
    await check('status-new-password-required');
    await follow('Choose a new password');
    expect(new URL(page.url()).pathname).to.equal('/login');
  });

  it('MFA set-up waits for the first login while the password is temporary, and says so', async function () {
    await page.goto(`${service.adminUrl}/mfa`);
    expect(await page.getByRole('button', { name: 'Start MFA set-up' }).count()).to.equal(0);
    expect(await page.locator('main').textContent()).to.include('the password is temporary');
    await check('mfa-before-first-login');
    await page.goto(`${service.adminUrl}/login`);
    // "Leave both empty" means empty: the configured user is named beside it, not typed in.
    expect(await page.inputValue('#login-username')).to.equal('');
    expect(await page.locator('#login-help').textContent()).to.include(username);
  });

  it('first login by keyboard: the new password typed twice, then ready with its expiry', async function () {
    await check('first-login');
    // Tab from the top of the page to the first new-password field, as a keyboard user would.
    await page.keyboard.press('Tab');
    expect(await page.evaluate('document.activeElement.textContent')).to.equal('Skip to content');
    let focused = '';
    for (let i = 0; i < 20 && focused !== 'challenge-new'; i++) {
      await page.keyboard.press('Tab');
      focused = (await page.evaluate('document.activeElement.id')) as string;
    }
    expect(focused).to.equal('challenge-new');
    await page.keyboard.type(chosen);
    await page.keyboard.press('Tab');
    await page.keyboard.type(chosen);
    await Promise.all([
      page.waitForURL((url) => url.pathname === '/'),
      page.keyboard.press('Enter'),
    ]);
    expect(await page.locator('#state').textContent()).to.equal('ready');
    expect(await page.locator('#username').textContent()).to.equal(username);
    expect(await page.locator('#credentials-expire').textContent()).to.match(/in \d+ (h|min)/);
    expect((await call(service.proxyUrl, { path: '/x' })).status).to.equal(200);
    for (let i = 0; i < 5; i++) await call(service.proxyUrl, { path: `/v1/notes/${i}` });
    const refused = await call(service.proxyUrl, { path: '/v1/x?X-Amz-Signature=forged' });
    expect(refused.status).to.equal(400);
    await page.reload();
    expect(await page.locator('#served').textContent()).to.equal('7');
    expect(await page.locator('main').textContent()).to.match(/Errors[a-z_]+: 1/);
    await check('status-ready');
  });

  it('counts the expiry down in the browser (the script runs under the CSP)', async function () {
    const countdown = page.locator('#tokens-expire [data-countdown]');
    const first = await countdown.textContent();
    await page.waitForFunction(
      (before) => document.querySelector('#tokens-expire [data-countdown]')?.textContent !== before,
      first,
      { timeout: 10_000 },
    );
  });

  it('changes the password: current, new, new again', async function () {
    await nav('Password');
    await check('password');
    await page.fill('#change-current', chosen);
    await page.fill('#change-new', changed);
    await page.fill('#change-again', `${changed}x`);
    await follow('Change the password');
    expect(await page.locator('[role=alert]').textContent()).to.include('differ');
    await page.fill('#change-current', chosen);
    await page.fill('#change-new', changed);
    await page.fill('#change-again', changed);
    await follow('Change the password');
    expect(await page.locator('[role=status]').textContent()).to.include('Password changed');
  });

  it('logs in again from the login page, then revokes after a confirmation', async function () {
    // cognito-local revokes only a refresh token from a plain password login (DESIGN.md, test
    // peers): log in with the changed password first.
    await nav('First login');
    await page.fill('#login-password', changed);
    await follow('Log in');
    expect(await page.locator('[role=status]').textContent()).to.include('Logged in as');
    await nav('Revoke');
    expect(await page.locator('main').textContent()).to.include('What stops working');
    await check('revoke');
    await follow('Yes, revoke');
    const refusal = await page.locator('[role=alert]').allTextContents();
    expect(new URL(page.url()).pathname, refusal.join()).to.equal('/');
    expect(await page.locator('[role=status]').textContent()).to.include('Revoked');
    // The proxy forgot everything, then logged in again by itself with the changed password.
    expect(await page.locator('#state').textContent()).to.equal('ready');
  });

  it('sets up MFA: the QR code encodes the otpauth URI of the secret shown, and a code verifies it', async function () {
    await nav('MFA set-up');
    await check('mfa-start');
    await follow('Start MFA set-up');
    mfaSecret = ((await page.locator('#mfa-secret').textContent()) ?? '').trim();
    expect(mfaSecret).to.match(/^[A-Z2-7]{16,}$/);
    registerSecret(mfaSecret);
    const uri = await readQrCode(page);
    expect(uri).to.equal(generateURI({ issuer: 'Scribe', label: username, secret: mfaSecret }));
    await check('mfa-scan');
    await page.fill('#verify-code', generateSync({ secret: mfaSecret }));
    await follow('Verify and turn on MFA');
    expect(await page.locator('[role=status]').textContent()).to.include('MFA is on');
    expect(await page.locator('#mfa-secret').count()).to.equal(0);
  });

  it('with MFA on, a login asks for a code, answered on the login page', async function () {
    await nav('First login');
    await page.fill('#login-password', changed);
    await follow('Log in');
    expect(await page.locator('[role=status]').textContent()).to.include('MFA code');
    await check('login-mfa');
    await page.fill('#login-code', generateSync({ secret: mfaSecret }));
    await follow('Verify');
    const refusal = await page.locator('[role=alert]').allTextContents();
    expect(new URL(page.url()).pathname, refusal.join()).to.equal('/');
    expect(await page.locator('#state').textContent()).to.equal('ready');
  });

  it('resets a forgotten password: send the code, then confirm it with a new password twice', async function () {
    await nav('Password');
    await follow('Send a reset code');
    await follow('Start over');
    expect(await page.locator('[role=status]').textContent()).to.include('Nothing was reset');
    await follow('Send a reset code');
    expect(await page.locator('[role=status]').textContent()).to.include('A reset code was sent');
    await check('password-reset-code');
    // cognito-local's confirmation codes are fixed (CODE, 123456 by default).
    await page.fill('#confirm-code', '123456');
    await page.fill('#confirm-new', reset);
    await page.fill('#confirm-again', reset);
    await follow('Reset the password');
    const refusal = await page.locator('[role=alert]').allTextContents();
    expect(new URL(page.url()).pathname, refusal.join()).to.equal('/');
    expect(await page.locator('[role=status]').textContent()).to.include('Password reset');
    expect(await page.locator('#state').textContent()).to.equal('ready');
  });

  it('refuses a form posted from another site, and the session is untouched', async function () {
    const attacker: Server = createServer((_req, res) => {
      res.setHeader('content-type', 'text/html');
      res.end(
        `<!doctype html><title>elsewhere</title><form method="post" action="${service.adminUrl}/revoke">` +
          '<input type="hidden" name="confirm" value="yes"><button id="go">win a prize</button></form>',
      );
    });
    await new Promise<void>((resolve) => attacker.listen(0, 'localhost', resolve));
    try {
      const other = await browser.newPage();
      await other.goto(`http://localhost:${(attacker.address() as AddressInfo).port}/`);
      const [answer] = await Promise.all([
        other.waitForResponse((r) => r.url().endsWith('/revoke')),
        other.click('#go'),
      ]);
      expect(answer.status()).to.equal(403);
      expect(await other.locator('main').textContent()).to.include('another site');
      await other.close();
    } finally {
      attacker.close();
    }
    expect(service.session?.state).to.equal('ready');
    const revokes = logs
      .records()
      .filter((r) => r['action'] === 'console-revoke' && r['outcome'] === 'ok');
    expect(revokes, 'revokes done').to.have.length(1);
  });

  it('refuses a same-origin post without the CSRF token', async function () {
    const status = await page.evaluate(async () => {
      const body = new URLSearchParams({ confirm: 'yes' });
      const answer = await fetch('/revoke', { method: 'POST', body, redirect: 'manual' });
      return answer.status;
    });
    expect(status).to.equal(403);
  });

  it('signs out: the session ends, its cookie is gone and the old cookie opens nothing', async function () {
    const old = (await browser.context.cookies()).find((c) => c.name === 'scribe-console');
    await Promise.all([
      page.waitForURL((url) => url.pathname === '/sign-in'),
      tab.button('Sign out').click(),
    ]);
    expect((await browser.context.cookies()).map((c) => c.name)).to.not.include('scribe-console');
    const replay = await call(service.adminUrl, {
      path: '/',
      headers: { cookie: `scribe-console=${old?.value}` },
    });
    expect(replay.status).to.equal(303);
    expect(replay.headers.location).to.equal('/sign-in');
  });

  it('never logged the admin token or a password', function () {
    const text = logs.lines.join('\n');
    for (const secret of [adminToken, temporary, chosen, changed, reset, mfaSecret]) {
      expect(text).to.not.include(secret);
    }
    expect(text).to.include('console-sign-in');
  });
});
