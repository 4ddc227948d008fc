import { expect } from 'chai';
import { runCli } from '../support/cli.js';
import { ScriptedCognito } from '../support/scriptedCognitoServer.js';

describe('the CLI keeps COGNITO_TIMEOUT_MS, as serve does', function () {
  this.timeout(40_000);
  let cognito: ScriptedCognito;

  beforeEach(async function () {
    cognito = await new ScriptedCognito().start();
    cognito.addUser('cli-user', 'Cli-Passw0rd!');
  });

  afterEach(async function () {
    await cognito.stop();
  });

  it('a login that stalls after its headers ends at the configured deadline, named in the error', async function () {
    cognito.bend('InitiateAuth', { kind: 'stall' });
    const result = await runCli(['tokens', '--username', 'cli-user'], {
      SCRIBE_CLIENT_ID: 'scripted-client',
      SCRIBE_USER_POOL_ID: 'eu-west-2_scripted',
      SCRIBE_COGNITO_ENDPOINT: cognito.url,
      SCRIBE_PASSWORD: 'Cli-Passw0rd!',
      COGNITO_TIMEOUT_MS: '700',
    });
    expect(result.code).to.not.equal(0);
    expect(result.stderr).to.include('within 700 ms');
    expect(result.stdout).to.equal('');
  });

  it('refuses a COGNITO_TIMEOUT_MS that is not a whole number of milliseconds', async function () {
    const result = await runCli(['tokens', '--username', 'cli-user'], {
      SCRIBE_CLIENT_ID: 'scripted-client',
      SCRIBE_USER_POOL_ID: 'eu-west-2_scripted',
      SCRIBE_COGNITO_ENDPOINT: cognito.url,
      SCRIBE_PASSWORD: 'Cli-Passw0rd!',
      COGNITO_TIMEOUT_MS: 'soon',
    });
    expect(result.code).to.equal(2);
    expect(result.stderr).to.include('COGNITO_TIMEOUT_MS');
    expect(cognito.count('InitiateAuth')).to.equal(0);
  });
});
