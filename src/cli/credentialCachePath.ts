import { createHash } from 'node:crypto';
import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';

/**
 * Where `credentials` caches the credentials of a session file: one file per session file in the
 * XDG cache directory (`$XDG_CACHE_HOME`, else `~/.cache`), under `scribe-proxy/`. The session
 * file's own directory may be read-only (a mounted secret); the user's cache directory is not.
 */
export function credentialCachePath(sessionFile: string, env = process.env): string {
  const xdg = env['XDG_CACHE_HOME'];
  // The XDG spec: a relative path is invalid and ignored.
  const home = env['HOME'] || homedir();
  const base = xdg && isAbsolute(xdg) ? xdg : join(home, '.cache');
  const key = createHash('sha256').update(resolve(sessionFile)).digest('hex').slice(0, 32);
  return join(base, 'scribe-proxy', `credentials-${key}.json`);
}
