import { expect } from 'chai';
import { ConfigError, configVariables, loadConfig } from '../../src/config/index.js';
import { configReference } from '../../src/config/reference.js';
import { plainDefault, plainText } from '../../src/config/problems.js';
import { runCli } from '../support/cli.js';

/** A configuration that loads: the values Scribe support gives, and a login. */
const valid = {
  SCRIBE_CLIENT_ID: 'abc123clientid',
  SCRIBE_USER_POOL_ID: 'eu-west-2_AbCdEf123',
  SCRIBE_IDENTITY_POOL_ID: 'eu-west-2:11111111-2222-3333-4444-555555555555',
  SCRIBE_USERNAME: 'me@example.com',
  SCRIBE_PASSWORD: 'a-Passw0rd!',
};

describe('configuration errors and serve --help', function () {
  it('the reference describes exactly the variables the configuration reads', function () {
    expect(configReference.map((s) => s.name).sort()).to.deep.equal([...configVariables].sort());
  });

  it("every variable's example is a value the configuration accepts", function () {
    // A *_FILE setting names a file this machine does not have; its checks are tested with real files.
    for (const setting of configReference.filter((s) => !s.name.endsWith('_FILE'))) {
      const env: Record<string, string> = { ...valid, [setting.name]: setting.example };
      // The per-client example refuses the shared account's settings, as it should.
      if (setting.name === 'PROXY_SESSIONS') {
        delete env['SCRIBE_USERNAME'];
        delete env['SCRIBE_PASSWORD'];
      }
      const problems = (() => {
        try {
          loadConfig(env);
          return [];
        } catch (err) {
          if (err instanceof ConfigError) return err.problems;
          throw err;
        }
      })();
      expect(problems, `${setting.name}=${setting.example}`).to.deep.equal([]);
    }
  });

  it('serve reports one problem per line, each naming the variable, what is wrong and a right value (exit 2)', async function () {
    const result = await runCli(['serve'], {
      SCRIBE_REGION: 'nowhere',
      PROXY_PORT: '99999',
      SCRIBE_USER_POOL_ID: 'eu-west-2_AbCdEf123',
      SCRIBE_USERNAME: 'me@example.com',
      SCRIBE_PASSWORD: 'a-Passw0rd!',
    });
    expect(result.code).to.equal(2);
    const lines = result.stderr.trim().split('\n');
    expect(lines[0]).to.match(/invalid configuration \(4 problems\)/);
    const problems = lines.slice(1).map((l) => l.trim());
    expect(problems).to.have.length(4);
    expect(problems).to.include(
      'SCRIBE_REGION must look like eu-west-2; for example SCRIBE_REGION=eu-west-2',
    );
    expect(problems).to.include(
      'PROXY_PORT must be a whole number from 0 to 65535; for example PROXY_PORT=8080',
    );
    const missing = problems.find((p) => p.startsWith('SCRIBE_CLIENT_ID is missing; for example'));
    expect(missing, result.stderr).to.be.a('string');
    expect(
      problems.find((p) =>
        p.startsWith('SCRIBE_IDENTITY_POOL_ID is missing (needed in sigv4 mode)'),
      ),
    ).to.include('for example SCRIBE_IDENTITY_POOL_ID=eu-west-2:');
    for (const line of problems) expect(line.length).to.be.lessThan(200);
  });

  it('serve --help lists every variable with its meaning and default, from the reference', async function () {
    const result = await runCli(['serve', '--help']);
    expect(result.code).to.equal(0);
    for (const setting of configReference) {
      const line = result.stdout.split('\n').find((l) => l.trim().startsWith(`${setting.name} `));
      expect(line, setting.name).to.be.a('string');
      expect(line).to.include(plainText(setting.meaning));
      const fallback = plainDefault(setting.default);
      if (fallback !== 'none') expect(line).to.include(fallback);
    }
  });
});
