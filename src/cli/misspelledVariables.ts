import { dotEnvFile } from '../config/index.js';
import { configReference } from '../config/reference.js';
import { closest } from './closest.js';

/**
 * Variables the CLI reads beyond the configuration's (config/reference.ts): a command option's
 * fallback (`--new-password`) and its `_FILE` form.
 */
export const cliVariables = ['SCRIBE_NEW_PASSWORD', 'SCRIBE_NEW_PASSWORD_FILE'] as const;

const known: readonly string[] = [...configReference.map((s) => s.name), ...cliVariables];
const required = new Set(
  configReference.filter((s) => s.default.startsWith('required')).map((s) => s.name),
);

/** A variable scribe-proxy does not read, where it is set, and the known one it nearly is. */
export interface Misspelling {
  name: string;
  source: 'the environment' | '.env';
  meant: string | undefined;
  /** `meant` is a required variable and set nowhere: the command cannot work as meant. */
  fatal: boolean;
}

// SCRIBE_ is ours: every unknown name there is a mistake. PROXY_ and ADMIN_ are common words
// other software uses too (an image's ADMIN_USER, say): only a near miss of ours is named.
const ours = /^SCRIBE_/i;
const shared = /^(?:PROXY|ADMIN)_/i;
// Only a name that looks like a variable name is ever shown (never more than a name).
const nameShape = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;
// What Kubernetes sets in every pod for each Service of its namespace (scribe-gateway's own, or a
// Service named scribe-proxy): <NAME>_SERVICE_HOST, <NAME>_SERVICE_PORT[_<PORT NAME>],
// <NAME>_PORT and <NAME>_PORT_<n>_<PROTOCOL>[_PROTO|_PORT|_ADDR].
const serviceLinkSuffix =
  /_(?:SERVICE_HOST|SERVICE_PORT(?:_[A-Z0-9_]+)?|PORT(?:_\d+_(?:TCP|UDP|SCTP)(?:_(?:PROTO|PORT|ADDR))?)?)$/;

/** A name Kubernetes set for a Service: its `<NAME>_SERVICE_HOST` is set alongside. */
function isServiceLink(name: string, environment: NodeJS.ProcessEnv): boolean {
  const suffix = serviceLinkSuffix.exec(name);
  if (!suffix) return false;
  return environment[`${name.slice(0, suffix.index)}_SERVICE_HOST`] !== undefined;
}

/**
 * The variables in the environment and `.env` that look meant for scribe-proxy but are not
 * among the names it reads (`SCRIBE_PASWORD`, `PROXY_PROT`), each with the nearest known name.
 */
export function misspelledVariables(
  environment: NodeJS.ProcessEnv,
  dotEnv: Record<string, string>,
): Misspelling[] {
  const isSet = (name: string) => Boolean(environment[name]?.trim() || dotEnv[name]?.trim());
  const sources = [
    ['the environment', Object.keys(environment)],
    ['.env', Object.keys(dotEnv).filter((name) => !(name in environment))],
  ] as const;
  const found: Misspelling[] = [];
  for (const [source, names] of sources) {
    for (const name of names) {
      if (known.includes(name) || !nameShape.test(name)) continue;
      if (!ours.test(name) && !shared.test(name)) continue;
      if (source === 'the environment' && isServiceLink(name, environment)) continue;
      const near = closest(
        name,
        known.map((k) => k.toLowerCase()),
      )?.toUpperCase();
      if (near === undefined && !ours.test(name)) continue;
      const fatal = near !== undefined && required.has(near) && !isSet(near);
      found.push({ name, source, meant: near, fatal });
    }
  }
  return found;
}

/** What to say about one misspelling: its name, where it is set, the name it nearly is. */
export function describeMisspelling(m: Misspelling): string {
  const what = `${m.name} (in ${m.source}) is not a variable scribe-proxy reads`;
  if (m.meant === undefined) return `${what}; scribe-proxy serve --help lists them`;
  const caseOnly = m.meant === m.name.toUpperCase() ? ' (names are case-sensitive)' : '';
  const unset = m.fatal ? `, which is required and not set` : '';
  return `${what}: did you mean ${m.meant}${unset}?${caseOnly}`;
}

/**
 * Name every misspelled variable in the environment and `.env` on stderr, before `command` runs:
 * a warning each, or an error for a near miss of a required variable set nowhere. False when
 * the command must not run.
 */
export function reportMisspelledVariables(command: string): boolean {
  const found = misspelledVariables(process.env, dotEnvFile());
  for (const m of found) {
    const prefix = m.fatal ? `scribe-proxy ${command}:` : 'scribe-proxy: warning:';
    process.stderr.write(`${prefix} ${describeMisspelling(m)}\n`);
  }
  return !found.some((m) => m.fatal);
}
