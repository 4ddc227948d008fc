#!/usr/bin/env node
import { ScribeAuthError } from '../auth/errors.js';
import { exitCodes, PromptAborted, UsageError } from './usage.js';
import { closest } from './closest.js';
import { quotedArgument } from './settingHint.js';
import { existsSync } from 'node:fs';
import { packageRoot, packageVersion } from '../version.js';

type Command = (argv: string[], print: (text: string) => void) => Promise<void>;

// Each command is imported when it runs: `--version`, `--help` and a typo load none of them, and
// `credentials` (run on every AWS credential fetch) never loads the server, express or the console.
const commands: Record<string, { load: () => Promise<Command>; summary: string }> = {
  serve: {
    load: async () => (await import('./commands/serve.js')).serveCommand,
    summary: 'run the signing proxy and admin listener',
  },
  check: {
    load: async () => (await import('./commands/check.js')).checkCommand,
    summary: 'validate the configuration; --online also tries the login',
  },
  tokens: {
    load: async () => (await import('./commands/tokens.js')).tokensCommand,
    summary: 'log in and print Cognito tokens',
  },
  credentials: {
    load: async () => (await import('./commands/credentials.js')).credentialsCommand,
    summary: 'log in and print federated AWS credentials',
  },
  login: {
    load: async () => (await import('./commands/login.js')).loginCommand,
    summary: 'log in and write the session file',
  },
  'change-password': {
    load: async () => (await import('./commands/changePassword.js')).changePasswordCommand,
    summary: 'change a (temporary) password',
  },
  'forgot-password': {
    load: async () => (await import('./commands/forgotPassword.js')).forgotPasswordCommand,
    summary: 'send a password-reset code',
  },
  'confirm-password': {
    load: async () => (await import('./commands/forgotPassword.js')).confirmPasswordCommand,
    summary: 'set a new password with the code',
  },
  revoke: {
    load: async () => (await import('./commands/revoke.js')).revokeCommand,
    summary: 'revoke the refresh token, delete the session file',
  },
  'mfa-setup': {
    load: async () => (await import('./commands/mfaSetup.js')).mfaSetupCommand,
    summary: 'set up TOTP MFA with an authenticator app',
  },
  sandbox: {
    load: async () => (await import('./commands/sandbox.js')).sandboxCommand,
    summary: 'run the whole flow on this machine, no account needed',
  },
};

/**
 * True in a source checkout, where the sandbox's test servers are built beside the CLI; the
 * installed package ships without them, so it does not offer the sandbox.
 */
function sandboxAvailable(): boolean {
  return existsSync(new URL('dist/test/support/sandbox.js', packageRoot));
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
    const run = await command.load();
    await run(rest, print);
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
