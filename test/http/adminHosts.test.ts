import { expect } from 'chai';
import { adminHostCheck } from '../../src/http/index.js';

describe('the admin listener: the Host names it answers (console and /admin)', function () {
  const loopbackOnly = adminHostCheck([]);
  const withService = adminHostCheck(['scribe-proxy-admin', 'admin.internal:8443']);

  it('accepts localhost, 127.x.y.z and [::1], with or without a port, whatever the bind', function () {
    for (const host of [
      'localhost',
      'LOCALHOST:8081',
      '127.0.0.1:8081',
      '127.1.2.3',
      '[::1]:8081',
    ]) {
      expect(loopbackOnly(host), host).to.be.true;
      expect(withService(host), host).to.be.true;
    }
  });

  it('refuses any other name, including ones that merely start like a loopback name', function () {
    for (const host of [
      '',
      'evil.example:8081',
      'localhost.evil.example',
      '127.0.0.1.evil.example:8081',
      '127.0.0.1@evil.example',
      '[::1].evil.example',
      '10.0.0.1:8081',
      '[::2]:8081',
    ]) {
      expect(loopbackOnly(host), host).to.be.false;
      expect(withService(host), host).to.be.false;
    }
  });

  it('accepts the ADMIN_ALLOWED_HOSTS names: a name alone on any port, name:port only on that one', function () {
    expect(withService('scribe-proxy-admin')).to.be.true;
    expect(withService('Scribe-Proxy-Admin:8081')).to.be.true;
    expect(withService('admin.internal:8443')).to.be.true;
    expect(withService('admin.internal:8081')).to.be.false;
    expect(loopbackOnly('scribe-proxy-admin:8081')).to.be.false;
  });
});
