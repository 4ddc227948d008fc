import { expect } from 'chai';
import { Writable } from 'node:stream';
import { loadConfig } from '../../src/config/index.js';
import { createLogger } from '../../src/observability/index.js';
import { startupNotices } from '../../src/server/startupNotices.js';
import { minimal, problems } from './support.js';

describe("SCRIBE_API_URL: the upstream carries the session's tokens", function () {
  it('refuses plain http to a public API host: bearer mode would send the access token in clear', function () {
    const found = problems({
      ...minimal,
      SCRIBE_AUTH_MODE: 'bearer',
      SCRIBE_API_URL: 'http://mi.scribelabs.ai/v2',
    });
    expect(found).to.deep.equal([
      "invalid setting: SCRIBE_API_URL must be https (plain http only to a loopback address, or to the host SCRIBE_API_PLAIN_HTTP_HOST names: it carries the session's tokens)",
    ]);
  });

  it('refuses plain http to a host name that only starts like a loopback address', function () {
    const found = problems({ ...minimal, SCRIBE_API_URL: 'http://127.0.0.1.evil.example/v1' });
    expect(found).to.have.length(1);
    expect(found[0]).to.include('SCRIBE_API_URL must be https');
  });

  it('accepts https anywhere, and http on a loopback address (the sandbox, tests)', function () {
    for (const url of [
      'https://mi.scribelabs.ai/v1',
      'http://127.0.0.1:8443/v1',
      'http://[::1]:8443/v2',
      'http://localhost:8443/v1',
    ]) {
      expect(problems({ ...minimal, SCRIBE_API_URL: url }), url).to.deep.equal([]);
    }
  });

  it('accepts plain http to the one host SCRIBE_API_PLAIN_HTTP_HOST names (a mesh sidecar adding TLS), no other', function () {
    const config = loadConfig({
      ...minimal,
      SCRIBE_API_URL: 'http://scribe-egress.mesh:8080/v1',
      SCRIBE_API_PLAIN_HTTP_HOST: 'scribe-egress.mesh',
    });
    expect(config.apiUrl.toString()).to.equal('http://scribe-egress.mesh:8080/v1');
    expect(config.apiPlainHttpHost).to.equal('scribe-egress.mesh');
    const other = problems({
      ...minimal,
      SCRIBE_API_URL: 'http://mi.scribelabs.ai/v1',
      SCRIBE_API_PLAIN_HTTP_HOST: 'scribe-egress.mesh',
    });
    expect(other).to.have.length(1);
    expect(other[0]).to.include('SCRIBE_API_URL must be https');
  });
});

describe('the start log, when the upstream is plain http beyond loopback', function () {
  it('warns that the tokens cross that hop in clear, naming the host', function () {
    const lines: string[] = [];
    const logger = createLogger(
      'info',
      new Writable({
        write: (chunk: Buffer, _enc, callback) => {
          lines.push(chunk.toString('utf8'));
          callback();
        },
      }),
    );
    startupNotices(
      loadConfig({
        ...minimal,
        SCRIBE_API_URL: 'http://scribe-egress.mesh:8080/v1',
        SCRIBE_API_PLAIN_HTTP_HOST: 'scribe-egress.mesh',
      }),
      logger,
    );
    startupNotices(loadConfig({ ...minimal, SCRIBE_API_URL: 'http://127.0.0.1:1/v1' }), logger);
    const warnings = lines
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .filter((r) => r['event'] === 'cleartext-upstream');
    expect(warnings).to.have.length(1);
    expect(String(warnings[0]?.['msg'])).to.include('scribe-egress.mesh');
  });
});
