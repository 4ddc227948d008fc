#!/usr/bin/env node
import { ScribeAuthError } from '../auth/index.js';
import { changePasswordCommand } from './commands/changePassword.js';
import { checkCommand } from './commands/check.js';
import { credentialsCommand } from './commands/credentials.js';
import { confirmPasswordCommand, forgotPasswordCommand } from './commands/forgotPassword.js';
import { loginCommand } from './commands/login.js';
import { mfaSetupCommand } from './commands/mfaSetup.js';
import { revokeCommand } from './commands/revoke.js';
import { sandboxCommand } from './commands/sandbox.js';
import { serveCommand } from './commands/serve.js';
import { tokensCommand } from './commands/tokens.js';
import { exitCodes, PromptAborted, UsageError } from './usage.js';
import { closest } from './closest.js';
import { quotedArgument } from './settingHint.js';
import { existsSync } from 'node:fs';
import { packageVersion } from '../version.js';

type Command = (argv: string[], print: (text: string) => void) => Promise<void>;

const commands: Record<string, { run: Command; summary: string }> = {
  serve: { run: serveCommand, summary: 'run the signing proxy and admin listener' },
  check: {
    run: checkCommand,
    summary: 'validate the configuration; --online also tries the login',
  },
  tokens: { run: tokensCommand, summary: 'log in and print Cognito tokens' },
  credentials: { run: credentialsCommand, summary: 'log in and print federated AWS credentials' },
  login: { run: loginCommand, summary: 'log in and write the session file' },
  'change-password': { run: changePasswordCommand, summary: 'change a (temporary) password' },
  'forgot-password': { run: forgotPasswordCommand, summary: 'send a password-reset code' },
  'confirm-password': { run: confirmPasswordCommand, summary: 'set a new password with the code' },
  revoke: { run: revokeCommand, summary: 'revoke the refresh token, delete the session file' },
  'mfa-setup': { run: mfaSetupCommand, summary: 'set up TOTP MFA with an authenticator app' },
  sandbox: {
    run: sandboxCommand,
    summary: 'run the whole flow on this machine, no account needed',
  },
};

/**
 * True in a source checkout, where the sandbox's test servers are built beside the CLI; the
 * installed package ships without them, so it does not offer the sandbox.
 */
function sandboxAvailable(): boolean {
  return existsSync(new URL('../../test/support/sandbox.js', import.meta.url));
}

function mainHelp(): string {
  const shown = Object.entries(commands).filter(
    ([name]) => name !== 'sandbox' || sandboxAvailable(),
  );
  const width = Math.max(...shown.map(([c]) => c.length)) + 2;
  const list = shown.map(([name, c]) => `  ${name.padEnd(width)}${c.summary}`).join('\n');
  return `Usage: scribe-proxy <command> [options]\n\nCommands:\n${list}\n\nRun scribe-proxy <command> --help for a command's options; scribe-proxy --version for the version.\nEvery command reads a .env file in the working directory; flags win over the environment, which wins over .env.\n`;
}

/** Run the CLI; returns the exit code. */
export async function main(argv: string[]): Promise<number> {
  const print = (text: string) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
  const [name, ...rest] = argv;
  // `scribe-proxy help serve` is `scribe-proxy serve --help`.
  if (name === 'help' && rest[0] && commands[rest[0]]) return main([rest[0], '--help']);
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    print(mainHelp());
    return name ? exitCodes.ok : exitCodes.usage;
  }
  if (name === '--version' || name === '-v' || name === 'version') {
    print(packageVersion);
    return exitCodes.ok;
  }
  const command = commands[name];
  if (!command) {
    const guess = closest(name, Object.keys(commands));
    const hint = guess ? `did you mean '${guess}'? ` : '';
    process.stderr.write(
      `scribe-proxy: unknown command ${quotedArgument(name, Object.keys(commands))} (${hint}try scribe-proxy --help)\n`,
    );
    return exitCodes.usage;
  }
  try {
    // Misspelled variables are named for every command that reads the configuration (not the
    // sandbox, which brings its own); loaded here, so --version stays quick.
    if (name !== 'sandbox' && !rest.includes('--help') && !rest.includes('-h')) {
      const { reportMisspelledVariables } = await import('./misspelledVariables.js');
      if (!reportMisspelledVariables(name)) return exitCodes.usage;
    }
    await command.run(rest, print);
    return exitCodes.ok;
  } catch (err) {
    if (err instanceof PromptAborted) {
      process.stderr.write(`scribe-proxy ${name}: ${err.message}, nothing done\n`);
      return err.exitCode;
    }
    if (err instanceof UsageError) {
      process.stderr.write(`scribe-proxy ${name}: ${err.message}\n`);
      return exitCodes.usage;
    }
    if (err instanceof ScribeAuthError) {
      process.stderr.write(`scribe-proxy ${name}: ${err.message}\n`);
      return exitCodes.failed;
    }
    process.stderr.write(`scribe-proxy ${name}: ${(err as Error)?.message ?? String(err)}\n`);
    return exitCodes.failed;
  }
}

// The pinned SDK runs on Node 20; its notice about future releases needing Node 22 would
// otherwise precede every command's output. docs/cli.md says so instead.
process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`scribe-proxy: ${String(err)}\n`);
    process.exitCode = exitCodes.failed;
  },
);
