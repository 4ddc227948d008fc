import { expect } from 'chai';
import { endpointOverrides, loadConfig } from '../../src/config/index.js';
import { minimal, problems } from './support.js';

describe('Cognito endpoint overrides', function () {
  it('refuses a plain-http endpoint that is not on loopback: the password would travel in clear', function () {
    const found = problems({
      ...minimal,
      SCRIBE_COGNITO_ENDPOINT: 'http://cognito.evil.example',
      SCRIBE_IDENTITY_ENDPOINT: 'http://10.0.0.5:9229',
    });
    expect(found).to.have.length(2);
    expect(found[0]).to.include('SCRIBE_COGNITO_ENDPOINT').and.include('https');
    expect(found[1]).to.include('SCRIBE_IDENTITY_ENDPOINT');
  });

  it('refuses plain http to a host name that only starts like a loopback address', function () {
    // 127.0.0.1.evil.example is a DNS name: it can resolve anywhere, and the password with it.
    for (const endpoint of ['http://127.0.0.1.evil.example:9229', 'http://127.evil.example']) {
      const found = problems({ ...minimal, SCRIBE_COGNITO_ENDPOINT: endpoint });
      expect(found, endpoint).to.have.length(1);
      expect(found[0], endpoint).to.include('SCRIBE_COGNITO_ENDPOINT must be https');
    }
  });

  it('accepts https anywhere, and http on a loopback address (the sandbox, tests)', function () {
    for (const endpoint of [
      'https://cognito-idp.eu-west-2.amazonaws.com',
      'http://127.0.0.1:9229',
      'http://[::1]:9229',
      'http://localhost:9229',
    ]) {
      expect(problems({ ...minimal, SCRIBE_COGNITO_ENDPOINT: endpoint }), endpoint).to.deep.equal(
        [],
      );
    }
  });

  it('names the overrides in force, and none when AWS is used', function () {
    expect(endpointOverrides(loadConfig(minimal))).to.deep.equal([]);
    const config = loadConfig({ ...minimal, SCRIBE_IDENTITY_ENDPOINT: 'http://127.0.0.1:9230' });
    expect(endpointOverrides(config)).to.deep.equal([
      'SCRIBE_IDENTITY_ENDPOINT=http://127.0.0.1:9230',
    ]);
  });
});
