/** The console's session cookie: `__Host-` with TLS (Secure, Path=/, no Domain). */
export function consoleCookieName(tls: boolean): string {
  return tls ? '__Host-scribe-console' : 'scribe-console';
}

const names = new Set([consoleCookieName(false), consoleCookieName(true)]);

/**
 * A `Cookie` header without the console's session cookie (undefined when nothing else is left).
 * Browsers send a host's cookies to every port of it, so the console's reaches the proxy's port
 * too: the proxy must not pass it on to the upstream.
 */
export function withoutConsoleCookie(header: string): string | undefined {
  const kept = header
    .split(';')
    .map((part) => part.trim())
    .filter((part) => part !== '' && !names.has(part.slice(0, part.indexOf('=')).trim()));
  return kept.length > 0 ? kept.join('; ') : undefined;
}
