import { expect } from 'chai';
import { runCli } from '../support/cli.js';

describe('the CLI helps a newcomer', function () {
  this.timeout(30_000);

  it('help serve prints the help of serve, not the list of commands', async function () {
    const result = await runCli(['help', 'serve']);
    expect(result.code).to.equal(0);
    expect(result.stdout).to.match(/^Usage: scribe-proxy serve/);
    expect(result.stdout).to.include('SCRIBE_API_URL');
  });

  it('a mistyped option gets a suggestion (exit 2)', async function () {
    const result = await runCli(['tokens', '--usrname', 'me']);
    expect(result.code).to.equal(2);
    expect(result.stderr).to.include('unknown option --usrname (did you mean --username?)');
  });

  it('in a checkout, the command list offers the sandbox', async function () {
    const result = await runCli(['--help']);
    expect(result.stdout).to.match(/^\s+sandbox\s/m);
  });
});
