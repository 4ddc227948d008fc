import { expect } from 'chai';
import { isLoopbackHost } from '../../src/admin/console/loopbackHost.js';

describe('console: the loopback Host names it answers on a loopback bind', function () {
  it('accepts localhost, 127.x.y.z and [::1], with or without a port', function () {
    for (const host of [
      'localhost',
      'LOCALHOST:8081',
      '127.0.0.1:8081',
      '127.1.2.3',
      '[::1]:8081',
    ]) {
      expect(isLoopbackHost(host), host).to.be.true;
    }
  });

  it('refuses any other name, including ones that merely start like a loopback name', function () {
    for (const host of [
      undefined,
      '',
      'evil.example:8081',
      'localhost.evil.example',
      '127.0.0.1.evil.example:8081',
      '127.0.0.1@evil.example',
      '[::1].evil.example',
      '10.0.0.1:8081',
      '[::2]:8081',
    ]) {
      expect(isLoopbackHost(host), String(host)).to.be.false;
    }
  });
});
