import { expect } from 'chai';
import { loadConfig } from '../../src/config/index.js';
import { minimal, problems } from './support.js';

const good = 'k8s-Secret-Token-0123456789';

describe('admin and client tokens', function () {
  it('trims the trailing newline kubectl create secret --from-file leaves, so the token matches', function () {
    const config = loadConfig({
      ...minimal,
      ADMIN_TOKEN: `${good}\n`,
      PROXY_CLIENT_TOKEN: `  ${good}-client\r\n`,
    });
    expect(config.adminToken).to.equal(good);
    expect(config.proxyClientToken).to.equal(`${good}-client`);
  });

  it('refuses whitespace inside a token, and tokens of too little variety, all at once', function () {
    const found = problems({
      ...minimal,
      ADMIN_TOKEN: 'two words in one admin token',
      PROXY_CLIENT_TOKEN: 'aaaaaaaaaaaaaaaa',
    });
    expect(found).to.have.length(2);
    expect(found[0]).to.include('ADMIN_TOKEN').and.include('whitespace');
    expect(found[1]).to.include('PROXY_CLIENT_TOKEN').and.include('8 different characters');
    expect(found.join('\n')).to.not.include('aaaa').and.not.include('two words');
  });

  it('refuses a token of only spaces instead of treating it as set', function () {
    expect(problems({ ...minimal, ADMIN_TOKEN: ' '.repeat(16) })).to.have.length(1);
    expect(problems({ ...minimal, PROXY_CLIENT_TOKEN: '\t'.repeat(20) })).to.have.length(1);
    expect(problems({ ...minimal, ADMIN_TOKEN: 'abababababababababab' })[0]).to.include(
      'ADMIN_TOKEN',
    );
  });
});
