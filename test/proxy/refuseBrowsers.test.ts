import { expect } from 'chai';
import { refuseBrowsers, type BrowserGuard } from '../../src/proxy/refuseBrowsers.js';
import { fakeContext, refusal } from '../support/fakeContext.js';

const loopback: BrowserGuard = { loopbackBind: true, allowedHosts: [], allowedOrigins: [] };

function verdict(guard: BrowserGuard, headers: Record<string, string>): string {
  const { ctx } = fakeContext({ method: 'POST', url: '/tasks', headers });
  try {
    void refuseBrowsers(guard)(ctx);
    return 'ok';
  } catch (err) {
    return (err as { code: string }).code;
  }
}

describe('proxy: requests from browsers and rebinding Host names are refused', function () {
  it('legacy clients (no Origin, no Sec-Fetch-*) on a loopback name pass', function () {
    for (const host of [
      '127.0.0.1:8080',
      'localhost:8080',
      'LOCALHOST',
      '[::1]:8080',
      '127.1.2.3',
    ]) {
      expect(verdict(loopback, { host }), host).to.equal('ok');
    }
    expect(verdict(loopback, {})).to.equal('ok');
  });

  it('a page on another site is refused by Sec-Fetch-Site or by its Origin', function () {
    const host = '127.0.0.1:8080';
    expect(verdict(loopback, { host, 'sec-fetch-site': 'cross-site' })).to.equal(
      'cross_site_refused',
    );
    expect(verdict(loopback, { host, 'sec-fetch-site': 'same-site' })).to.equal(
      'cross_site_refused',
    );
    expect(verdict(loopback, { host, origin: 'https://evil.example' })).to.equal('origin_refused');
    expect(verdict(loopback, { host, origin: 'null' })).to.equal('origin_refused');
    expect(verdict(loopback, { host, origin: 'http://127.0.0.1:9999' })).to.equal('origin_refused');
    // The proxy's own origin, and a user typing the URL (Sec-Fetch-Site: none), pass.
    expect(verdict(loopback, { host, origin: 'http://127.0.0.1:8080' })).to.equal('ok');
    expect(verdict(loopback, { host, 'sec-fetch-site': 'none' })).to.equal('ok');
    expect(verdict(loopback, { host, 'sec-fetch-site': 'same-origin' })).to.equal('ok');
  });

  it('PROXY_ALLOWED_ORIGINS lets the origins it lists in', function () {
    const guard = { ...loopback, allowedOrigins: ['https://app.example'] };
    const host = 'localhost:8080';
    expect(verdict(guard, { host, origin: 'https://app.example' })).to.equal('ok');
    expect(verdict(guard, { host, origin: 'https://app.example.evil' })).to.equal('origin_refused');
  });

  it('on a loopback bind, a Host that is not loopback is refused unless PROXY_ALLOWED_HOSTS lists it (DNS rebinding)', function () {
    expect(verdict(loopback, { host: 'rebind.evil.example:8080' })).to.equal('host_refused');
    expect(verdict(loopback, { host: '127.0.0.1.evil.example' })).to.equal('host_refused');
    expect(verdict(loopback, { host: '10.0.0.5:8080' })).to.equal('host_refused');
    // A rebinding page is same-origin with itself: the Host check is what stops it.
    expect(
      verdict(loopback, {
        host: 'rebind.evil.example:8080',
        origin: 'http://rebind.evil.example:8080',
      }),
    ).to.equal('host_refused');
    const guard = { ...loopback, allowedHosts: ['scribe-proxy', 'gw.internal:8080'] };
    expect(verdict(guard, { host: 'scribe-proxy:8080' })).to.equal('ok');
    expect(verdict(guard, { host: 'gw.internal:8080' })).to.equal('ok');
    expect(verdict(guard, { host: 'gw.internal:9090' })).to.equal('host_refused');
  });

  it('on other binds, PROXY_ALLOWED_HOSTS when set is the list; unset, any Host passes', function () {
    const open: BrowserGuard = { loopbackBind: false, allowedHosts: [], allowedOrigins: [] };
    expect(verdict(open, { host: 'anything.example' })).to.equal('ok');
    const listed = { ...open, allowedHosts: ['scribe-proxy'] };
    expect(verdict(listed, { host: 'scribe-proxy:8080' })).to.equal('ok');
    expect(verdict(listed, { host: 'localhost:8080' })).to.equal('host_refused');
    expect(verdict(listed, { host: 'rebind.evil.example' })).to.equal('host_refused');
    // IPv6 entries, written as a Host carries them (in brackets), with or without a port.
    const v6 = { ...open, allowedHosts: ['[fd00::1]', '[fd00::2]:8080'] };
    expect(verdict(v6, { host: '[fd00::1]:8080' })).to.equal('ok');
    expect(verdict(v6, { host: '[FD00::1]' })).to.equal('ok');
    expect(verdict(v6, { host: '[fd00::2]:8080' })).to.equal('ok');
    expect(verdict(v6, { host: '[fd00::2]:9090' })).to.equal('host_refused');
    expect(verdict(v6, { host: '[fd00::3]' })).to.equal('host_refused');
    // Browsers are refused on every bind.
    expect(verdict(open, { host: 'x', 'sec-fetch-site': 'cross-site' })).to.equal(
      'cross_site_refused',
    );
  });

  it('on another bind with no PROXY_ALLOWED_HOSTS (any Host passes), a browser cannot pass as same-origin: its Host is its own (DNS rebinding)', function () {
    const open: BrowserGuard = { loopbackBind: false, allowedHosts: [], allowedOrigins: [] };
    const rebinding = 'rebind.evil.example:8080';
    // A rebinding page's POST carries its own origin, its GET only Sec-Fetch-Site: same-origin.
    expect(verdict(open, { host: rebinding, origin: `http://${rebinding}` })).to.equal(
      'origin_refused',
    );
    expect(verdict(open, { host: rebinding, 'sec-fetch-site': 'same-origin' })).to.equal(
      'cross_site_refused',
    );
    // A user typing the URL, a legacy client, and a listed origin still pass.
    expect(verdict(open, { host: rebinding, 'sec-fetch-site': 'none' })).to.equal('ok');
    expect(verdict(open, { host: rebinding })).to.equal('ok');
    const app = { ...open, allowedOrigins: ['https://app.example'] };
    expect(verdict(app, { host: rebinding, origin: 'https://app.example' })).to.equal('ok');
    // Where the proxy knows its names, same-origin on one of them passes as before.
    const listed = { ...open, allowedHosts: ['scribe-proxy'] };
    expect(
      verdict(listed, {
        host: 'scribe-proxy:8080',
        origin: 'http://scribe-proxy:8080',
        'sec-fetch-site': 'same-origin',
      }),
    ).to.equal('ok');
  });

  it('a Host that is not a host name or address with an optional port is refused, whatever loopback name it contains', function () {
    const listed = { ...loopback, allowedHosts: ['scribe-proxy'] };
    for (const host of [
      'localhost:80@evil.example',
      'a@localhost',
      '[::1]evil.example',
      '[::1',
      '127.0.0.1:8080:evil',
      'localhost/evil',
      'localhost:',
      'localhost:http',
      ' localhost',
      '',
    ]) {
      expect(verdict(loopback, { host }), host).to.equal('host_refused');
    }
    expect(verdict(listed, { host: 'scribe-proxy:8080@evil.example' })).to.equal('host_refused');
    // Names that merely look like loopback are not: they resolve wherever their owner says.
    for (const host of [
      'localhost.',
      '127.0.0.1.nip.io',
      '0x7f.1',
      '127.1',
      '[::ffff:127.0.0.1]',
    ]) {
      expect(verdict(loopback, { host }), host).to.equal('host_refused');
    }
  });

  it('only a Sec-Fetch-Site a browser sends for its own or a typed request passes (none, same-origin)', function () {
    const host = 'localhost:8080';
    for (const site of ['cross-site, cross-site', 'CROSS-SITE', 'same-site,none', 'garbage']) {
      expect(verdict(loopback, { host, 'sec-fetch-site': site }), site).to.equal(
        'cross_site_refused',
      );
    }
  });

  it('refuses with a 403 that says why', async function () {
    const { ctx } = fakeContext({ headers: { host: 'localhost', origin: 'https://evil.example' } });
    const error = await refusal(() => refuseBrowsers(loopback)(ctx));
    expect(error.status).to.equal(403);
    expect((error as unknown as Error).message).to.include('PROXY_ALLOWED_ORIGINS');
  });
});
