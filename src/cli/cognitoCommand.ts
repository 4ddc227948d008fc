import type { ScribeAuth } from '../auth/index.js';
import { checkEndpointOverrides } from './endpointOverrideCheck.js';
import { helpText, parseOptions, requireOptions, type OptionSpec } from './options.js';

/** What a command that talks to Cognito declares; the helper does the rest. */
export interface CognitoCommandSpec {
  usage: string;
  summary: string;
  specs: OptionSpec[];
  /** Options that must have a value (from a flag, the environment, .env or `settle`). */
  required: string[];
  /** Before the required options are checked: fill in what flags, environment and .env left unset. */
  settle?: (values: Record<string, string | undefined>) => Promise<void>;
  /** Before Cognito is called: prompts and checks that need no ScribeAuth. */
  prepare?: (values: Record<string, string | undefined>) => Promise<void>;
  /** An answer that needs no call to Cognito (a cache); undefined goes on to `run`. */
  answerWithoutCognito?: (values: Record<string, string | undefined>) => Promise<unknown>;
  /** The work; what it returns is printed as JSON (undefined prints nothing more). */
  run: (
    auth: ScribeAuth,
    values: Record<string, string | undefined>,
    print: (text: string) => void,
  ) => Promise<unknown>;
}

/** A CLI command and its help text. */
export interface CognitoCommand {
  help: string;
  (argv: string[], print: (text: string) => void): Promise<void>;
}

/**
 * One way for every Cognito command: parse the flags (flags > environment > .env), answer
 * --help, settle and require what it needs, answer from a cache when it can, else run with a
 * ScribeAuth that is always destroyed; print JSON.
 */
export function cognitoCommand(spec: CognitoCommandSpec): CognitoCommand {
  const help = helpText(spec.usage, spec.summary, spec.specs);
  const command = async (argv: string[], print: (text: string) => void): Promise<void> => {
    const values = parseOptions(argv, spec.specs);
    if (values['help']) return print(help);
    await spec.settle?.(values);
    requireOptions(values, spec.specs, spec.required);
    checkEndpointOverrides(values);
    await spec.prepare?.(values);
    const answer = await spec.answerWithoutCognito?.(values);
    if (answer !== undefined) return print(JSON.stringify(answer, null, 2));
    // Loaded only now: the AWS SDK is most of the CLI's start-up, and a cache needs none of it.
    const { authFrom } = await import('./authOptions.js');
    const auth = authFrom(values);
    try {
      const result = await spec.run(auth, values, print);
      if (result !== undefined) print(JSON.stringify(result, null, 2));
    } finally {
      auth.destroy();
    }
  };
  return Object.assign(command, { help });
}
