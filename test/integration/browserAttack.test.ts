import { expect } from 'chai';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { launchBrowser, type LaunchedBrowser } from '../support/browser.js';
import { World } from '../support/world.js';

/** A page on another origin (another local port) that tries to use the proxy as its user. */
function attackerPage(proxyUrl: string): string {
  return `<!doctype html><title>attacker</title><script>
    window.results = (async () => {
      const out = {};
      try {
        await fetch('${proxyUrl}/tasks', { method: 'POST', mode: 'no-cors', headers: { 'content-type': 'text/plain' }, body: '{"delete":"everything"}' });
        out.noCors = 'sent';
      } catch (e) { out.noCors = 'failed'; }
      try {
        const res = await fetch('${proxyUrl}/tasks?limit=1');
        out.read = res.status + ' ' + (await res.text());
      } catch (e) { out.read = 'failed'; out.readError = String(e); }
      return out;
    })();
  </script>`;
}

describe('a real browser: a page on another origin cannot use the proxy', function () {
  this.timeout(120_000);
  let world: World;
  let browser: LaunchedBrowser;
  let site: Server;
  let siteUrl: string;
  let page = '';

  before(async function () {
    world = await World.start();
    browser = await launchBrowser();
    site = createServer((req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end(page);
    });
    await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
    siteUrl = `http://127.0.0.1:${(site.address() as AddressInfo).port}`;
  });
  after(async function () {
    await browser?.close();
    await new Promise<void>((resolve) => site?.close(() => resolve()) ?? resolve());
    await world?.stop();
  });

  it('a no-cors POST and a read from another origin get nothing through: the upstream records nothing', async function () {
    const { service, logs } = await world.proxy();
    world.upstream.arrivals.length = 0;
    page = attackerPage(service.proxyUrl);
    const tab = await browser.newPage();
    try {
      await tab.goto(`${siteUrl}/`);
      const results = (await tab.evaluate('window.results')) as Record<string, string>;
      // The browser sent both (a no-cors POST goes out; the read fails on CORS), the proxy
      // refused both before signing anything.
      expect(results['read']).to.equal('failed');
      const refused = logs.records().filter((r) => r['msg'] === 'request' && r['status'] === 403);
      expect(refused.map((r) => r['error']).sort()).to.deep.equal([
        'cross_site_refused',
        'cross_site_refused',
      ]);
      expect(world.upstream.arrivals).to.deep.equal([]);
    } finally {
      await tab.close();
      await service.close(1000);
    }
  });

  it('a rebinding Host is refused: the page that reaches the proxy under its own name reads nothing', async function () {
    const { service, logs } = await world.proxy();
    world.upstream.arrivals.length = 0;
    const port = new URL(service.proxyUrl).port;
    // DNS rebinding: the attacker's name resolves to the proxy's address (a resolver rule stands
    // in for the attacker's DNS), after the page itself came from the attacker under that name
    // and port; the page is then same-origin with the proxy and could read its answers.
    const origin = `http://rebind.evil.example:${port}`;
    const rebinding = await launchBrowser({
      extraArgs: [
        '--host-resolver-rules=MAP rebind.evil.example 127.0.0.1',
        // Chromium's own guard against public pages reaching local addresses is newer than
        // many browsers in use; turned off, the request reaches the proxy, whose guard is tested.
        '--disable-features=LocalNetworkAccessChecks,BlockInsecurePrivateNetworkRequests,PrivateNetworkAccessSendPreflights',
      ],
    });
    try {
      const tab = await rebinding.newPage();
      await tab.route(`${origin}/`, (route) =>
        route.fulfill({ contentType: 'text/html', body: attackerPage(origin) }),
      );
      await tab.goto(`${origin}/`);
      const results = (await tab.evaluate('window.results')) as Record<string, string>;
      expect(results['read'], JSON.stringify(results)).to.match(/^403 .*host_refused/);
      const refused = logs.records().filter((r) => r['msg'] === 'request' && r['status'] === 403);
      expect(refused.map((r) => r['error'])).to.include('host_refused');
      expect(world.upstream.arrivals).to.deep.equal([]);
    } finally {
      await rebinding.close();
      await service.close(1000);
    }
  });
});
