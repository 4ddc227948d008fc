import { configReference } from '../configReference.js';
import { closest } from './closest.js';

const names = configReference.map((s) => s.name);

/** An argument as it may be shown: `NAME=value` and `--flag=value` lose the value (a secret?). */
export function shownArgument(arg: string): string {
  const eq = arg.indexOf('=');
  return (eq === -1 ? arg : `${arg.slice(0, eq)}=...`).slice(0, 80);
}

/**
 * The configuration variables an argument most likely meant: `--port` is PROXY_PORT or
 * ADMIN_PORT, `--scribe-pasword` SCRIBE_PASSWORD; none when nothing is near.
 */
export function settingsMeant(arg: string): string[] {
  const key = (arg.replace(/^-+/, '').split('=')[0] ?? '').toUpperCase().replace(/-/g, '_');
  if (!/^[A-Z0-9_]+$/.test(key)) return [];
  if (names.includes(key)) return [key];
  const suffixed = names.filter((name) => name.endsWith(`_${key}`));
  if (suffixed.length > 0) return suffixed;
  const guess = closest(
    key.toLowerCase(),
    names.map((name) => name.toLowerCase()),
  );
  return guess ? [guess.toUpperCase()] : [];
}

/** Why `serve` refuses an argument, and which variable to set instead; never a value. */
export function serveArgumentProblem(arg: string): string {
  const assignment = /^([A-Za-z_][A-Za-z0-9_]*)=/.exec(arg);
  if (assignment) {
    const name = assignment[1] as string;
    const known = names.includes(name)
      ? ''
      : ` (${name} is not a variable scribe-proxy reads; serve --help lists them)`;
    return `'${name}=...' is an environment variable, not an argument: put it before the command (${name}=... scribe-proxy serve) or in .env${known}`;
  }
  const meant = settingsMeant(arg);
  const set = meant.length > 0 ? `; set ${meant.join(' or ')}` : '';
  return `unexpected argument '${shownArgument(arg)}': serve takes no arguments, it is configured by environment variables${set} (serve --help lists them)`;
}
