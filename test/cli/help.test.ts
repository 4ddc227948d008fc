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

  it('serve --help is plain terminal text: link texts without their Markdown, no backticks, each default once', async function () {
    const { stdout } = await runCli(['serve', '--help']);
    const lines = stdout.split('\n');
    expect(lines.filter((l) => /\]\(|`/.test(l))).to.deep.equal([]);
    expect(stdout).to.include('see security)');
    expect(lines.filter((l) => /\(default [^()]*\(/.test(l))).to.deep.equal([]);
    expect(stdout).to.match(
      /PROXY_MAX_BODY_BYTES +request body limit \(default 10485760, 10 MiB\)$/m,
    );
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
