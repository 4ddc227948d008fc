import { expect } from 'chai';
import { ConfigError, loadConfig } from '../src/config/index.js';
import { describeConfigProblem } from '../src/config/problems.js';

const minimal = {
  SCRIBE_CLIENT_ID: 'client',
  SCRIBE_USER_POOL_ID: 'eu-west-2_pool',
  SCRIBE_IDENTITY_POOL_ID: 'eu-west-2:pool',
  SCRIBE_USERNAME: 'me',
  SCRIBE_PASSWORD: 'pw',
};

function problems(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  return [];
}

describe('configuration', function () {
  it("defaults to Scribe's v1 API, sigv4, eu-west-2 and loopback listeners", function () {
    const config = loadConfig(minimal);
    expect(config.apiUrl.toString()).to.equal('https://mi.scribelabs.ai/v1');
    expect(config).to.include({
      authMode: 'sigv4',
      region: 'eu-west-2',
      proxyHost: '127.0.0.1',
      proxyPort: 8080,
      adminHost: '127.0.0.1',
      adminPort: 8081,
      maxBodyBytes: 10 * 1024 * 1024,
      upstreamTimeoutMs: 30_000,
      refreshMarginS: 300,
      logLevel: 'info',
    });
  });

  it('reports every problem at once', function () {
    const found = problems({
      SCRIBE_API_URL: 'ftp://x',
      SCRIBE_AUTH_MODE: 'magic',
      PROXY_PORT: '80a',
      ADMIN_PORT: '70000',
      LOG_LEVEL: 'loud',
      PROXY_MAX_BODY_BYTES: '-1',
    });
    expect(found.join('\n')).to.include('SCRIBE_API_URL');
    for (const name of [
      'SCRIBE_AUTH_MODE',
      'SCRIBE_CLIENT_ID',
      'SCRIBE_USER_POOL_ID',
      'PROXY_PORT',
      'ADMIN_PORT',
      'LOG_LEVEL',
      'PROXY_MAX_BODY_BYTES',
      'no login source',
    ]) {
      expect(found.join('\n'), name).to.include(name);
    }
  });

  it('refuses NO_PROXY entries that do not parse, among every other problem', function () {
    const found = problems({
      NO_PROXY: 'localhost, 10.0.0.0/33,fd00::/129 [::1]:99999 bad_host!,10.0.0.0/8',
      https_proxy: 'ftp://corp',
      LOG_LEVEL: 'loud',
    }).join('\n');
    for (const text of ['10.0.0.0/33', 'fd00::/129', '[::1]:99999', 'bad_host!', 'HTTPS_PROXY']) {
      expect(found, text).to.include(text);
    }
    expect(found).to.not.include('10.0.0.0/8:');
    expect(found).to.include('LOG_LEVEL');
    expect(found).to.include('SCRIBE_CLIENT_ID');
    expect(problems({ ...minimal, NO_PROXY: '10.0.0.0/40' }).join()).to.include('0-32');
    const config = loadConfig({ ...minimal, NO_PROXY: ' [::1]:8080, .svc.cluster.local ' });
    expect(config.noProxy).to.equal('[::1]:8080, .svc.cluster.local');
  });

  it('reads PROXY_ALLOWED_ORIGINS and PROXY_ALLOWED_HOSTS as lists, refusing what is not an origin or a host', function () {
    const config = loadConfig({
      ...minimal,
      PROXY_ALLOWED_ORIGINS: ' https://app.example, http://localhost:3000 ',
      PROXY_ALLOWED_HOSTS: 'Scribe-Proxy,gw.internal:8080,[::1]',
    });
    expect(config.allowedOrigins).to.deep.equal(['https://app.example', 'http://localhost:3000']);
    expect(config.allowedHosts).to.deep.equal(['scribe-proxy', 'gw.internal:8080', '[::1]']);
    expect(loadConfig(minimal)).to.include.keys('allowedOrigins', 'allowedHosts');
    expect(loadConfig(minimal).allowedOrigins).to.deep.equal([]);
    const found = problems({
      ...minimal,
      PROXY_ALLOWED_ORIGINS: 'https://app.example/path,app.example,null',
      PROXY_ALLOWED_HOSTS: 'ok.example,http://bad.example,bad host',
    }).join('\n');
    for (const text of [
      'https://app.example/path',
      'app.example',
      'null',
      'http://bad.example',
      'bad host',
    ]) {
      expect(found, text).to.include(`entry ${text} must`);
    }
  });

  it('bounds the bodies held at once (256 MiB, at least one body at the limit) and the connections per listener', function () {
    expect(loadConfig(minimal)).to.include({
      maxBufferedBytes: 256 * 1024 * 1024,
      proxyMaxConnections: 1024,
      adminMaxConnections: 64,
    });
    const found = problems({
      ...minimal,
      PROXY_MAX_BODY_BYTES: '2000',
      PROXY_MAX_BUFFERED_BYTES: '1000',
      PROXY_MAX_CONNECTIONS: '0',
      ADMIN_MAX_CONNECTIONS: 'many',
    }).join('\n');
    expect(found).to.include(
      'PROXY_MAX_BUFFERED_BYTES (1000) must be at least PROXY_MAX_BODY_BYTES (2000)',
    );
    expect(found).to.include('PROXY_MAX_CONNECTIONS must be a whole number from 1');
    expect(found).to.include('ADMIN_MAX_CONNECTIONS must be a whole number from 1');
    expect(
      loadConfig({ ...minimal, PROXY_MAX_BODY_BYTES: '1000', PROXY_MAX_BUFFERED_BYTES: '1000' }),
    ).to.include({ maxBodyBytes: 1000, maxBufferedBytes: 1000 });
  });

  it('reads ADMIN_ALLOWED_HOSTS as a list of hosts, as PROXY_ALLOWED_HOSTS is read', function () {
    const config = loadConfig({
      ...minimal,
      ADMIN_ALLOWED_HOSTS: 'Scribe-Proxy-Admin, admin.internal:8081',
    });
    expect(config.adminAllowedHosts).to.deep.equal(['scribe-proxy-admin', 'admin.internal:8081']);
    expect(loadConfig(minimal).adminAllowedHosts).to.deep.equal([]);
    const found = problems({ ...minimal, ADMIN_ALLOWED_HOSTS: 'ok.example,http://bad.example' });
    expect(found).to.deep.equal([
      'invalid setting: ADMIN_ALLOWED_HOSTS entry http://bad.example must be a host name or address, optionally with :port',
    ]);
  });

  it('sigv4 mode needs an identity pool; bearer mode does not', function () {
    const { SCRIBE_IDENTITY_POOL_ID: _, ...withoutPool } = minimal;
    expect(problems(withoutPool)).to.deep.equal([
      'missing setting: SCRIBE_IDENTITY_POOL_ID (needed in sigv4 mode)',
    ]);
    expect(problems({ ...withoutPool, SCRIBE_AUTH_MODE: 'bearer' })).to.deep.equal([]);
  });

  it('accepts a refresh token, a session file or an admin token as the login source', function () {
    const { SCRIBE_USERNAME: _u, SCRIBE_PASSWORD: _p, ...base } = minimal;
    expect(problems(base)).to.have.length(1);
    expect(problems({ ...base, SCRIBE_REFRESH_TOKEN: 'r' })).to.deep.equal([]);
    expect(problems({ ...base, SCRIBE_SESSION_FILE: '/tmp/s' })).to.deep.equal([]);
    expect(problems({ ...base, ADMIN_TOKEN: 'admin-Token-0123456789' })).to.deep.equal([]);
  });

  it('refuses short admin and client tokens, and an upstream URL with a query or credentials', function () {
    const found = problems({
      ...minimal,
      ADMIN_TOKEN: 'short',
      PROXY_CLIENT_TOKEN: 'short',
      SCRIBE_API_URL: 'https://user:pw@api.example.com/v1?x=1',
    });
    expect(found).to.have.length(3);
    expect(found.join('\n')).to.not.include('pw@');
  });

  it('refuses a pool id from another region than SCRIBE_REGION, naming both', function () {
    const found = problems({ ...minimal, SCRIBE_USER_POOL_ID: 'us-east-1_abc' });
    expect(found).to.have.length(1);
    expect(found[0])
      .to.include('us-east-1')
      .and.include('eu-west-2')
      .and.include('SCRIBE_USER_POOL_ID');
    expect(problems({ ...minimal, SCRIBE_IDENTITY_POOL_ID: 'us-west-2:abc' })[0]).to.include(
      'SCRIBE_IDENTITY_POOL_ID',
    );
    expect(
      problems({
        ...minimal,
        SCRIBE_REGION: 'us-east-1',
        SCRIBE_USER_POOL_ID: 'us-east-1_abc',
        SCRIBE_IDENTITY_POOL_ID: 'us-east-1:abc',
      }),
    ).to.deep.equal([]);
  });

  it('a region that disagrees with the pool ids is one line about SCRIBE_REGION: the pool ids come from Scribe and are never the ones to change', function () {
    const lines = (env: Record<string, string>) => problems(env).map(describeConfigProblem);
    // Not a region at all: one line, whose example is the pools' own region.
    expect(lines({ ...minimal, SCRIBE_REGION: 'london' })).to.deep.equal([
      'SCRIBE_REGION must look like eu-west-2; for example SCRIBE_REGION=eu-west-2',
    ]);
    const pools = {
      ...minimal,
      SCRIBE_USER_POOL_ID: 'us-east-1_abc',
      SCRIBE_IDENTITY_POOL_ID: 'us-east-1:abc',
    };
    expect(lines({ ...pools, SCRIBE_REGION: 'nowhere' })).to.deep.equal([
      'SCRIBE_REGION must look like eu-west-2; for example SCRIBE_REGION=us-east-1',
    ]);
    // A real region, but another one: set the region, as the pools say.
    expect(lines({ ...pools, SCRIBE_REGION: 'eu-west-1' })).to.deep.equal([
      'SCRIBE_REGION is eu-west-1 but SCRIBE_USER_POOL_ID is in us-east-1; for example SCRIBE_REGION=us-east-1',
    ]);
  });

  it("per-client mode needs no login source, bounds its cache, and refuses one account's settings", function () {
    const { SCRIBE_USERNAME: _u, SCRIBE_PASSWORD: _p, ...pools } = minimal;
    const config = loadConfig({ ...pools, PROXY_SESSIONS: 'per-client' });
    expect(config).to.include({ sessions: 'per-client', maxSessions: 1000, sessionIdleS: 1800 });
    expect(loadConfig(minimal).sessions).to.equal('shared');
    expect(
      problems({ ...minimal, PROXY_SESSIONS: 'per-client', SCRIBE_SESSION_FILE: 'f' }),
    ).to.deep.equal([
      'invalid setting: SCRIBE_USERNAME is for PROXY_SESSIONS=shared (in per-client mode each client sends its own login)',
      'invalid setting: SCRIBE_PASSWORD is for PROXY_SESSIONS=shared (in per-client mode each client sends its own login)',
      'invalid setting: SCRIBE_SESSION_FILE is for PROXY_SESSIONS=shared (in per-client mode each client sends its own login)',
    ]);
    expect(
      problems({
        ...pools,
        PROXY_SESSIONS: 'per-client',
        PROXY_MAX_SESSIONS: '0',
        PROXY_SESSION_IDLE_S: 'x',
      }),
    ).to.deep.equal([
      'invalid setting: PROXY_MAX_SESSIONS must be a whole number from 1 to 1000000',
      'invalid setting: PROXY_SESSION_IDLE_S must be a whole number from 1 to 604800',
    ]);
    expect(problems({ ...minimal, PROXY_SESSIONS: 'each' })).to.deep.equal([
      'invalid setting: PROXY_SESSIONS must be shared or per-client',
    ]);
  });

  it('names the variable, never echoes a secret value', function () {
    const found = problems({ ...minimal, ADMIN_TOKEN: 'sekrit' });
    expect(found.join('\n')).to.include('ADMIN_TOKEN').and.not.include('sekrit');
  });
});
