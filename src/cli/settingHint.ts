import { configReference } from '../config/reference.js';
import { closest } from './closest.js';

const names = configReference.map((s) => s.name);

// A word, a flag or a variable name: letters only, in parts joined by - or _, each part in one
// case. A text with digits, symbols or mixed case may be a password or a token: never shown.
const wordShape = /^-{0,2}(?:[a-z]+|[A-Z][a-z]*|[A-Z]+)(?:[-_](?:[a-z]+|[A-Z]+))*$/;

/**
 * `text` as it may be shown: a name the command knows (`known`: its commands or flags, without
 * dashes) or a variable, or a word (or flag) near one of those, a typo worth seeing. Any other
 * word may be a password: a diceware passphrase is words joined by `-`, `sunflower` is one too.
 */
function showable(text: string, known: readonly string[]): boolean {
  if (names.includes(text)) return true;
  const word = text.replace(/^-{1,2}/, '');
  if (known.includes(word)) return true;
  if (text.length > 40 || !wordShape.test(text)) return false;
  return (
    closest(
      word,
      [...known, ...names].map((name) => name.toLowerCase()),
    ) !== undefined
  );
}

/**
 * An argument as it may be shown: a flag or a name as it is, `NAME=value` and `--flag=value` without
 * the value; undefined for anything else, which may be a secret (`openssl rand -base64` ends in
 * `=`, so even the text before an `=` is shown only when it is a word).
 */
export function shownArgument(arg: string, known: readonly string[] = []): string | undefined {
  const eq = arg.indexOf('=');
  const name = eq === -1 ? arg : arg.slice(0, eq);
  if (!showable(name, known)) return undefined;
  return eq === -1 ? name : `${name}=...`;
}

/** What a message says in place of an argument it does not show. */
export const notShown = '(not shown: it may be a secret)';

/** `'arg'` quoted for a message, or `notShown`; `known`: the names the command knows. */
export function quotedArgument(arg: string, known: readonly string[] = []): string {
  const shown = shownArgument(arg, known);
  return shown === undefined ? notShown : `'${shown}'`;
}

/**
 * The configuration variables an argument most likely meant: `--port` is PROXY_PORT or
 * ADMIN_PORT, `--scribe-pasword` SCRIBE_PASSWORD; none when nothing is near, or too much is.
 */
export function settingsMeant(arg: string): string[] {
  const key = (arg.replace(/^-+/, '').split('=')[0] ?? '').toUpperCase().replace(/-/g, '_');
  if (!/^[A-Z0-9_]+$/.test(key)) return [];
  if (names.includes(key)) return [key];
  // A word a few variables end with (`port`, `token`); not a letter (`-s` is no `_S` seconds
  // setting), nor a word a dozen end with (`file`), which says nothing.
  const suffixed = key.length < 2 ? [] : names.filter((name) => name.endsWith(`_${key}`));
  if (suffixed.length > 0) return suffixed.length <= 3 ? suffixed : [];
  const guess = closest(
    key.toLowerCase(),
    names.map((name) => name.toLowerCase()),
  );
  return guess ? [guess.toUpperCase()] : [];
}

/** Why `serve` refuses an argument, and which variable to set instead; never a value. */
export function serveArgumentProblem(arg: string): string {
  const assignment = /^([A-Za-z_][A-Za-z0-9_]*)=/.exec(arg);
  const name = assignment?.[1];
  if (name !== undefined && showable(name, [])) {
    const meant = settingsMeant(name);
    const guess = meant.length > 0 ? `did you mean ${meant.join(' or ')}? ` : '';
    const known = names.includes(name)
      ? ''
      : ` (${name} is not a variable scribe-proxy reads; ${guess}serve --help lists them)`;
    return `'${name}=...' is an environment variable, not an argument: put it before the command (${name}=... scribe-proxy serve) or in .env${known}`;
  }
  const meant = settingsMeant(arg);
  const set = meant.length > 0 ? `; set ${meant.join(' or ')}` : '';
  // A flag that names a setting (`--port`) is no secret: shown, with the setting it meant.
  const word = arg.replace(/^-{1,2}/, '').split('=')[0] ?? '';
  const shown = quotedArgument(arg, meant.length > 0 ? [word] : []);
  return `unexpected argument ${shown}: serve takes no arguments, it is configured by environment variables${set} (serve --help lists them)`;
}
