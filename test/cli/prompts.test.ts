import { expect } from 'chai';
import { runOnTerminal } from '../support/terminal.js';

// Nothing listens on port 9 of loopback: a command that gets past its prompts fails at once.
const env = { SCRIBE_CLIENT_ID: 'client', SCRIBE_COGNITO_ENDPOINT: 'http://127.0.0.1:9' };

describe('CLI prompts on a terminal', function () {
  this.timeout(40_000);

  it('Ctrl-C at a prompt exits 130 with nothing done (so `login && deploy` stops)', async function () {
    const run = await runOnTerminal(['tokens', '--username', 'someone'], env, [
      ['Password for someone:', '\x03'],
    ]);
    expect(run.code, run.screen).to.equal(130);
    expect(run.screen).to.not.include('ECONNREFUSED').and.not.include('accessToken');
  });

  it('Ctrl-D at a prompt exits 1 with nothing done', async function () {
    const run = await runOnTerminal(['tokens', '--username', 'someone'], env, [
      ['Password for someone:', '\x04'],
    ]);
    expect(run.code, run.screen).to.equal(1);
    expect(run.screen).to.not.include('ECONNREFUSED');
  });

  it('a new password is asked twice, hidden; a mismatch asks again, and only then Cognito is called', async function () {
    const run = await runOnTerminal(
      ['confirm-password', '--username', 'someone', '--code', '123456'],
      env,
      [
        ['New password:', 'First-Try-Passw0rd!\r'],
        ['new password again:', 'Second-Try-Passw0rd!\r'],
        ['do not match', ''],
        ['New password:', 'Chosen-Passw0rd!\r'],
        ['new password again:', 'Chosen-Passw0rd!\r'],
      ],
    );
    expect(run.screen).to.include('do not match');
    expect(run.screen).to.not.include('Passw0rd!');
    // Past the prompts, to Cognito (which is not there): a failure, not a usage error.
    expect(run.code, run.screen).to.equal(1);
  });

  it('three mismatches fail clearly, exit 2, without calling Cognito', async function () {
    const steps: Array<[string, string]> = [];
    for (let i = 0; i < 3; i++) {
      steps.push(
        ['New password:', `Attempt-${i}-a\r`],
        ['new password again:', `Attempt-${i}-b\r`],
      );
    }
    const run = await runOnTerminal(
      ['confirm-password', '--username', 'someone', '--code', '123456'],
      env,
      steps,
    );
    expect(run.code, run.screen).to.equal(2);
    expect(run.screen).to.include('did not match');
    expect(run.screen).to.not.include('ECONNREFUSED');
  });
});
