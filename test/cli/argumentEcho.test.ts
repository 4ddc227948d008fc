import { expect } from 'chai';
import { parseOptions, type OptionSpec } from '../../src/cli/options.js';
import { serveArgumentProblem, settingsMeant, shownArgument } from '../../src/cli/settingHint.js';
import { UsageError } from '../../src/cli/usage.js';

// Shapes a secret given on the wrong place of a command line takes: a password, a token from
// `openssl rand -base64 32` (the padding reads as NAME=), a JWT, a Cognito client secret.
const secrets = [
  'Hunter2-Secret!',
  'Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MGFiY2RlZmdoaWo=',
  'dGhpcyBpcyBhIHRva2Vu==',
  'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl',
  '1example23456789abcdefghijklmnopqrstuvwxyz0123456789',
  // Passphrases of plain words (diceware) and a plain-word password look like words.
  'correct-horse-battery-staple',
  'sunflower',
];

const specs: OptionSpec[] = [
  { flag: 'username', env: 'SCRIBE_USERNAME', help: 'the user' },
  { flag: 'password', env: 'SCRIBE_PASSWORD', help: 'the password', secret: true },
  { flag: 'online', boolean: true, help: 'also log in' },
];

function usageMessage(argv: string[]): string {
  try {
    parseOptions(argv, specs, {});
  } catch (err) {
    if (err instanceof UsageError) return err.message;
    throw err;
  }
  throw new Error(`${argv.join(' ')} parsed`);
}

describe('CLI: arguments are never echoed when they may be secrets', function () {
  for (const secret of secrets) {
    it(`serve and an unknown command do not echo ${secret.slice(0, 12)}...`, function () {
      for (const arg of [secret, `--${secret}`, `${secret}=x`]) {
        expect(serveArgumentProblem(arg), arg).not.to.include(secret.replace(/=+$/, ''));
        expect(shownArgument(arg) ?? '', arg).not.to.include(secret.replace(/=+$/, ''));
      }
    });

    it(`a command's options parser does not echo ${secret.slice(0, 12)}... given where no value goes`, function () {
      for (const argv of [
        [secret],
        ['--username', 'bob', secret],
        ['--password=', secret],
        [`--=${secret}`],
        ['--online', '--', secret],
      ]) {
        expect(usageMessage(argv), argv.join(' ')).not.to.include(secret.replace(/=+$/, ''));
      }
    });
  }

  it('a secret given where its file goes is not echoed in "cannot read", as serve does not', function () {
    // `--password-file "$SCRIBE_PASSWORD"` (the value, not a path) is an easy slip in a script.
    for (const secret of secrets) {
      expect(usageMessage(['--password-file', secret]))
        .to.include('--password-file')
        .and.include('ENOENT')
        .and.not.include(secret.replace(/=+$/, ''));
      try {
        parseOptions([], specs, { SCRIBE_PASSWORD_FILE: secret });
        expect.fail('read a file that is not there');
      } catch (err) {
        expect((err as Error).message)
          .to.include('SCRIBE_PASSWORD_FILE')
          .and.not.include(secret.replace(/=+$/, ''));
      }
    }
  });

  it('still shows a flag, a variable name and a word near a name it knows, so a typo can be seen', function () {
    expect(shownArgument('tokn', ['tokens', 'serve'])).to.equal('tokn');
    expect(shownArgument('--scribe-pasword=hunter2')).to.equal('--scribe-pasword=...');
    expect(serveArgumentProblem('SCRIBE_PASWORD=x')).to.include("'SCRIBE_PASWORD=...'");
    expect(usageMessage(['--username', 'bob', 'SCRIBE_USERNAME'])).to.include("'SCRIBE_USERNAME'");
    expect(usageMessage(['--pasword=hunter2']))
      .to.include('--pasword')
      .and.include('--password');
  });

  it("says why a value after '--password= ' went astray: no space after '='", function () {
    expect(usageMessage(['--password=', 'Hunter2-Secret!'])).to.include("'--password=' is empty");
  });
});

describe('CLI: the variable an argument to serve meant', function () {
  it('names the variables a flag most likely meant', function () {
    expect(settingsMeant('--port')).to.deep.equal(['PROXY_PORT', 'ADMIN_PORT']);
    expect(settingsMeant('--scribe-pasword')).to.deep.equal(['SCRIBE_PASSWORD']);
    expect(settingsMeant('--region')).to.deep.equal(['SCRIBE_REGION']);
  });

  it('names none for a one-letter flag or a word a dozen variables end with', function () {
    // -s is no "seconds" setting, and thirteen *_FILE names are no hint.
    expect(settingsMeant('-s')).to.deep.equal([]);
    expect(settingsMeant('--file')).to.deep.equal([]);
  });

  it('a variable written in lower case is named in upper case', function () {
    expect(serveArgumentProblem('scribe_password=x')).to.include('SCRIBE_PASSWORD');
  });

  it('odd arguments get an answer, not a crash, and a long one costs no time', function () {
    for (const arg of [
      '',
      '-',
      '--',
      '=',
      '==',
      '-=',
      '\n',
      'pässword',
      '🔑',
      'a'.repeat(131_072),
    ]) {
      expect(serveArgumentProblem(arg), JSON.stringify(arg.slice(0, 9))).to.include(
        'serve --help lists them',
      );
      expect(serveArgumentProblem(arg).length).to.be.lessThan(400);
    }
  });
});
