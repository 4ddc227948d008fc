import { expect } from 'chai';
import type { Service } from '../../src/server/index.js';
import { hasChromium } from '../support/browser.js';
import { ConsoleTab } from '../support/consolePage.js';
import { World } from '../support/world.js';

const adminToken = 'no-script-console-token-4a7d21';

describe('the console in Chromium with JavaScript off', function () {
  this.timeout(120_000);
  let world: World;
  let service: Service;
  let tab: ConsoleTab;

  before(async function () {
    if (!hasChromium()) this.skip();
    world = await World.start();
    ({ service } = await world.proxy({ ADMIN_TOKEN: adminToken }));
    tab = await ConsoleTab.open(adminToken, { javaScriptEnabled: false });
  });
  after(async function () {
    await tab?.close();
    await world?.stop();
  });

  it('signs in, shows the status, answers a form with a message, and signs out: all by posts and redirects', async function () {
    const { page } = tab;
    await page.goto(`${service.adminUrl}/`);
    await page.fill('#token', adminToken);
    await tab.follow('Sign in');
    expect(await page.locator('#state').textContent()).to.equal('ready');
    // Without the script the countdown keeps the words the server wrote.
    expect(await page.locator('#tokens-expire [data-countdown]').textContent()).to.match(/^in /);
    await tab.nav('Password');
    await page.fill('#change-current', world.password);
    await page.fill('#change-new', 'Some-New-Passw0rd!');
    await page.fill('#change-again', 'Another-Passw0rd!');
    await tab.follow('Change the password');
    expect(new URL(page.url()).pathname).to.equal('/password');
    expect(await page.locator('[role=alert]').textContent()).to.include('differ');
    await tab.nav('Revoke');
    await tab.follow('No, back to the status');
    expect(new URL(page.url()).pathname).to.equal('/');
    expect(service.session?.state).to.equal('ready');
    await tab.follow('Sign out');
    expect(new URL(page.url()).pathname).to.equal('/sign-in');
  });
});
