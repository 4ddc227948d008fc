import { expect } from 'chai';
import { sandboxBanner, type StartedSandbox } from '../../src/cli/commands/sandboxBanner.js';

const sandbox = (host: string, session: unknown): StartedSandbox => ({
  service: { proxyUrl: `http://${host}:8080`, adminUrl: `http://${host}:8081`, session },
  users: [
    { username: 'ada', password: 'Sandbox-a-1a!' },
    { username: 'grace', password: 'Sandbox-g-1a!' },
  ],
  adminToken: 'sandbox-admin-token',
  resetCode: '123456',
  env: {
    SCRIBE_CLIENT_ID: 'client',
    SCRIBE_USER_POOL_ID: 'eu-west-2_pool',
    SCRIBE_COGNITO_ENDPOINT: 'http://127.0.0.1:9001',
  },
});

describe('the sandbox banner', function () {
  it('in a container (every interface), prints URLs the host reaches, and says the account is a throwaway', function () {
    const text = sandboxBanner(sandbox('0.0.0.0', {}), {
      seconds: 1,
      mode: 'sigv4',
      firstLogin: false,
    });
    expect(text).not.to.include('0.0.0.0');
    expect(text).to.include("curl 'http://127.0.0.1:8080/tasks?limit=10'");
    expect(text).to.include('http://127.0.0.1:8081/admin/session');
    expect(text).to.include('throwaway');
    expect(text).to.include('from inside this container (docker compose exec sandbox sh');
  });

  it('on loopback, prints the URLs as they are, with the reset code', function () {
    const text = sandboxBanner(sandbox('127.0.0.1', {}), {
      seconds: 1,
      mode: 'sigv4',
      firstLogin: false,
    });
    expect(text).to.include('reset code:  123456');
    expect(text).not.to.include('throwaway');
  });

  for (const firstLogin of [false, true]) {
    it(`prints the settings that aim the CLI and the library at it on every start (first login: ${firstLogin}), once`, function () {
      const text = sandboxBanner(sandbox('127.0.0.1', {}), {
        seconds: 1,
        mode: 'sigv4',
        firstLogin,
      });
      const exports = text.split('\n').filter((line) => line.trim().startsWith('export '));
      expect(exports).to.deep.equal([
        '  export SCRIBE_CLIENT_ID=client SCRIBE_USER_POOL_ID=eu-west-2_pool SCRIBE_COGNITO_ENDPOINT=http://127.0.0.1:9001',
      ]);
      expect(text).to.include('node dist/src/cli/main.js credentials --username ada');
      expect(text).to.include('docs/sandbox.md');
    });
  }

  it('the temporary-password hint starts the second proxy on free ports, never on fixed ones another program may hold', function () {
    const text = sandboxBanner(sandbox('127.0.0.1', {}), {
      seconds: 1,
      mode: 'sigv4',
      firstLogin: true,
    });
    const serve = text.split('\n').find((l) => l.includes('SCRIBE_SESSION_FILE=')) as string;
    expect(serve).to.include('PROXY_PORT=0 ADMIN_PORT=0');
    expect(serve).to.include('its start line names them');
  });

  it('in bearer mode, suggests tokens: there are no federated credentials to print', function () {
    const text = sandboxBanner(sandbox('127.0.0.1', {}), {
      seconds: 1,
      mode: 'bearer',
      firstLogin: false,
    });
    expect(text).to.include('node dist/src/cli/main.js tokens --username ada');
    expect(text).not.to.include(' credentials ');
  });
});
