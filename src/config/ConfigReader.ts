import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { secretFileVariables, type SecretVariable, type Variable } from './variables.js';

/**
 * A secret read from a file, as Kubernetes and Docker hand secrets out: the trailing newline an
 * editor or `echo` adds is not part of it. Throws with the errno code when it cannot be read.
 */
export function readSecretFile(path: string): string {
  return readFileSync(path, 'utf8').replace(/\r?\n$/, '');
}

/**
 * Typed reads of one environment. A value that will not do is noted in `problems` (worded as
 * problems.ts expects) and read as its fallback, so every problem is found in one pass.
 */
export class ConfigReader {
  /** Every problem found so far, in the order found. */
  readonly problems: string[] = [];

  constructor(readonly env: NodeJS.ProcessEnv) {}

  /** Note a problem; `problem` reads `invalid setting: NAME ...` or `missing setting: NAME ...`. */
  problem(problem: string): void {
    this.problems.push(problem);
  }

  /** The value trimmed; unset or only whitespace is undefined. */
  text(name: Variable): string | undefined {
    const value = this.env[name]?.trim();
    return value ? value : undefined;
  }

  /** A value that must be set. */
  required(name: Variable): string {
    const value = this.text(name);
    if (!value) this.problem(`missing setting: ${name}`);
    return value ?? '';
  }

  /** One of a few words; undefined (a problem noted) for any other. */
  oneOf<const T extends string>(name: Variable, choices: readonly T[], fallback: T): T | undefined {
    const value = this.text(name) ?? fallback;
    if ((choices as readonly string[]).includes(value)) return value as T;
    const allowed =
      choices.length === 2 ? `${choices[0]} or ${choices[1]}` : `one of ${choices.join(', ')}`;
    this.problem(`invalid setting: ${name} must be ${allowed}`);
    return undefined;
  }

  /** Comma-separated entries, each trimmed, empty ones dropped. */
  list(name: Variable): string[] {
    return (this.text(name) ?? '')
      .split(',')
      .map((v) => v.trim())
      .filter(Boolean);
  }

  /** A whole number from min to max. */
  integer(name: Variable, fallback: number, min: number, max: number): number {
    const raw = this.text(name);
    if (raw === undefined) return fallback;
    const value = Number(raw);
    if (!/^\d+$/.test(raw) || !Number.isSafeInteger(value) || value < min || value > max) {
      this.problem(`invalid setting: ${name} must be a whole number from ${min} to ${max}`);
      return fallback;
    }
    return value;
  }

  /** An http(s) URL without query, fragment or credentials. */
  url(name: Variable, fallback?: string): URL | undefined {
    const raw = this.text(name) ?? fallback;
    if (raw === undefined) return undefined;
    try {
      const parsed = new URL(raw);
      if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new Error('scheme');
      if (parsed.search || parsed.hash || parsed.username || parsed.password)
        throw new Error('extra');
      return parsed;
    } catch {
      this.problem(`invalid setting: ${name} must be an http(s) URL without query or credentials`);
      return undefined;
    }
  }

  /** An address or host name to listen on; loopback by default. */
  host(name: Variable): string {
    const value = this.text(name) ?? '127.0.0.1';
    if (!isIP(value) && !/^[a-zA-Z0-9.-]+$/.test(value)) {
      this.problem(`invalid setting: ${name} must be an IP address or host name`);
    }
    return value;
  }

  /** A secret from its variable or from the file its *_FILE variable names; never both. */
  secret(name: SecretVariable): string | undefined {
    const fileVariable = secretFileVariables[name];
    const path = this.env[fileVariable]?.trim();
    if (!path) return this.env[name] || undefined;
    if (this.env[name]) {
      this.problem(`invalid setting: set ${name} or ${fileVariable}, not both`);
      return undefined;
    }
    try {
      return readSecretFile(path) || undefined;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code ?? 'unreadable';
      this.problem(`invalid setting: ${fileVariable} names a file that cannot be read (${code})`);
      return undefined;
    }
  }

  /**
   * A bearer token (from its variable or file), compared byte for byte: whitespace around it (the
   * newline `kubectl create secret --from-file` keeps) is trimmed, whitespace inside it or too
   * little variety refused.
   */
  token(name: SecretVariable): string | undefined {
    const raw = this.secret(name);
    if (raw === undefined || raw === '') return undefined;
    const value = raw.trim();
    const problem = tokenProblem(value);
    // A token from a file is named with the variable that gave it, not as if set directly.
    const fileVariable = secretFileVariables[name];
    const from = this.env[fileVariable]?.trim()
      ? ` (read from the file ${fileVariable} names)`
      : '';
    if (problem) this.problem(`invalid setting: ${name}${from} ${problem}`);
    return value || undefined;
  }
}

/** Fewest different characters a bearer token may have: `aaaaaaaaaaaaaaaa` is not a secret. */
const tokenVariety = 8;

/** What is wrong with a (trimmed) bearer token, or undefined when it will do. */
function tokenProblem(value: string): string | undefined {
  if (!value) return 'is only whitespace';
  if (/\s/.test(value)) return 'must not contain whitespace';
  if (value.length < 16) return 'must be at least 16 characters';
  if (new Set(value).size < tokenVariety) {
    return `must have at least ${tokenVariety} different characters (use a random one: openssl rand -base64 24)`;
  }
  return undefined;
}
