import { expect } from 'chai';
import { egressProxyFor, readEgress } from '../../src/http/index.js';

const proxy = (target: string, env: Record<string, string>) =>
  egressProxyFor(new URL(target), readEgress(env).egress)?.href;

describe('egress proxy choice (as curl reads the environment)', function () {
  const env = { HTTPS_PROXY: 'http://corp-proxy:3128', HTTP_PROXY: 'plain-proxy:8080' };

  it('https targets use HTTPS_PROXY, http targets HTTP_PROXY (no scheme: http://)', function () {
    expect(proxy('https://cognito-idp.eu-west-2.amazonaws.com/', env)).to.equal(
      'http://corp-proxy:3128/',
    );
    expect(proxy('http://api.internal/v1', env)).to.equal('http://plain-proxy:8080/');
    expect(proxy('https://x.example/', {})).to.equal(undefined);
  });

  it('the lower-case spelling wins, as in curl', function () {
    expect(
      proxy('https://x.example/', { https_proxy: 'http://lower:1', HTTPS_PROXY: 'http://upper:2' }),
    ).to.equal('http://lower:1/');
  });

  it('loopback is not exempt unless NO_PROXY lists it', function () {
    expect(proxy('http://127.0.0.1:9000/', env)).to.equal('http://plain-proxy:8080/');
    expect(proxy('http://127.0.0.1:9000/', { ...env, NO_PROXY: '127.0.0.1' })).to.equal(undefined);
    expect(proxy('http://localhost:9000/', { ...env, NO_PROXY: 'localhost' })).to.equal(undefined);
  });

  it('NO_PROXY: *, domains with subdomains, a leading dot, IPv4 CIDRs, ports, spaces and commas', function () {
    const no = (NO_PROXY: string, target: string) => proxy(target, { ...env, NO_PROXY });
    expect(no('*', 'https://anything.example/')).to.equal(undefined);
    expect(no('example.com', 'https://example.com/')).to.equal(undefined);
    expect(no('example.com', 'https://api.example.com/')).to.equal(undefined);
    expect(no('.example.com', 'https://api.example.com/')).to.equal(undefined);
    expect(no('example.com', 'https://notexample.com/')).to.not.equal(undefined);
    expect(no('10.0.0.0/8, other', 'http://10.2.3.4/')).to.equal(undefined);
    expect(no('10.0.0.0/8', 'http://11.2.3.4/')).to.not.equal(undefined);
    expect(no('api.internal:8443', 'https://api.internal:8443/')).to.equal(undefined);
    expect(no('api.internal:8443', 'https://api.internal/')).to.not.equal(undefined);
  });

  it('NO_PROXY: prefixes are bounded (no widening), IPv6 CIDRs and bracketed IPv6 with a port match', function () {
    const no = (NO_PROXY: string, target: string) => proxy(target, { ...env, NO_PROXY });
    expect(readEgress({ NO_PROXY: '10.0.0.0/33' }).problems.join()).to.include('0-32');
    expect(readEgress({ NO_PROXY: '10.0.0.0/40' }).problems.join()).to.include('0-32');
    expect(readEgress({ NO_PROXY: '::/129' }).problems.join()).to.include('0-128');
    // An entry refused at start exempts nothing.
    expect(no('10.0.0.0/33', 'http://11.1.2.3/')).to.not.equal(undefined);
    expect(no('10.0.0.0/40', 'http://10.9.9.9/')).to.not.equal(undefined);
    expect(no('[::1]:8080', 'http://[::1]:8080/')).to.equal(undefined);
    expect(no('[::1]:8080', 'http://[::1]:9000/')).to.not.equal(undefined);
    expect(no('::1', 'http://[::1]:9000/')).to.equal(undefined);
    expect(no('fd00::/8', 'http://[fd12::3]/')).to.equal(undefined);
    expect(no('fd00::/8', 'http://[fe80::1]/')).to.not.equal(undefined);
    expect(no('10.1.2.3/32', 'http://10.1.2.3/')).to.equal(undefined);
    expect(no('10.1.2.3/32', 'http://10.1.2.4/')).to.not.equal(undefined);
    expect(no('0.0.0.0/0', 'http://192.0.2.1/')).to.equal(undefined);
  });

  it('trims the variables, and says what is wrong with each', function () {
    const { egress, problems } = readEgress({
      HTTP_PROXY: ' http://proxy:3128\n',
      NO_PROXY: 'a.example,, b.example ',
    });
    expect(egress).to.deep.equal({
      httpsProxy: undefined,
      httpProxy: 'http://proxy:3128',
      noProxy: 'a.example,, b.example',
    });
    expect(problems).to.deep.equal([]);
    expect(readEgress({ NO_PROXY: 'exa mple.com,ok.example,[10.0.0.1]' }).problems).to.have.length(
      1,
    );
  });
  it('a proxy user name or password that is not valid percent-encoding is a problem at start, not a failure per request', function () {
    const { problems } = readEgress({
      HTTP_PROXY: 'http://us%zzer:pw@proxy:3128',
      HTTPS_PROXY: 'http://user:p%@proxy:3128',
    });
    expect(problems.join('\n')).to.include('HTTP_PROXY').and.to.include('HTTPS_PROXY');
    expect(problems.join('\n')).to.not.include('pw');
    expect(readEgress({ HTTP_PROXY: 'http://us%40er:p%3Aw@proxy:3128' }).problems).to.deep.equal(
      [],
    );
  });

  it('NO_PROXY: a name that ends in a number is no host name (a URL reads it as an IPv4 address or refuses it), so it is a problem', function () {
    for (const entry of ['999.1.1.1', '1.2.3', '0x7f.1', '10.0.0.1.', 'host.123']) {
      expect(readEgress({ NO_PROXY: entry }).problems, entry).to.have.length(1);
    }
    expect(
      readEgress({ NO_PROXY: 'host123.example,123host.example,1.2.3.4' }).problems,
    ).to.deep.equal([]);
  });
});
