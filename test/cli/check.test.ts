import { expect } from 'chai';
import { runCli } from '../support/cli.js';
import { World } from '../support/world.js';

describe('scribe-proxy check', function () {
  this.timeout(60_000);
  let world: World;
  let env: Record<string, string>;

  before(async function () {
    world = await World.start();
    env = {
      ...world.account(),
      ADMIN_TOKEN: 'an-admin-token-of-some-length',
      HTTPS_PROXY: 'http://egress-user:egress-pass@proxy.internal:3128',
      NO_PROXY: '127.0.0.1',
      SCRIBE_API_URL: `${world.upstream.url}/v1`,
    };
  });

  after(async function () {
    await world?.stop();
  });

  it('prints the resolved configuration with every secret masked, without calling Cognito', async function () {
    const result = await runCli(['check'], env);
    expect(result.code, result.stderr).to.equal(0);
    expect(result.stdout).to.include('The configuration is valid');
    expect(result.stdout).to.match(/apiUrl:\s+http:\/\/127\.0\.0\.1:\d+\/v1/);
    expect(result.stdout).to.match(/password:\s+\*\*\* \(set\)/);
    for (const secret of [world.password, 'an-admin-token-of-some-length', 'egress-pass']) {
      expect(result.stdout).not.to.include(secret);
    }
    expect(result.stdout).not.to.match(/login:/);
  });

  it('exits 2 with the configuration problems, one per line', async function () {
    const result = await runCli(['check'], { ...env, SCRIBE_AUTH_MODE: 'sigv5', PROXY_PORT: 'x' });
    expect(result.code).to.equal(2);
    expect(result.stderr).to.match(/^\s+SCRIBE_AUTH_MODE must be sigv4 or bearer; for example/m);
    expect(result.stderr).to.match(/^\s+PROXY_PORT must be a whole number/m);
  });

  it('--online logs in and fetches the credentials, step by step', async function () {
    const result = await runCli(['check', '--online'], env);
    expect(result.code, result.stdout + result.stderr).to.equal(0);
    expect(result.stdout).to.match(/✓ login: password of proxy-user/);
    expect(result.stdout).to.match(/✓ identity id: eu-west-2:/);
    expect(result.stdout).to.match(/✓ credentials: valid until \d{4}-/);
  });

  it('--online says the login failed when the password is wrong (exit 1)', async function () {
    const result = await runCli(['check', '--online'], {
      ...env,
      SCRIBE_PASSWORD: 'Wrong-Passw0rd!',
    });
    expect(result.code).to.equal(1);
    expect(result.stdout).to.match(/✗ login: password of proxy-user: /);
    expect(result.stdout).not.to.include('identity id');
  });

  it('--online says the identity step failed when the identity pool is not the right one', async function () {
    const result = await runCli(['check', '--online'], {
      ...env,
      SCRIBE_IDENTITY_POOL_ID: 'eu-west-2:not-this-pool',
    });
    expect(result.code).to.equal(1);
    expect(result.stdout).to.match(/✓ login/);
    expect(result.stdout).to.match(/✗ identity id: /);
  });
});
