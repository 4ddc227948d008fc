/** The console's session cookie: `__Host-` with TLS (Secure, Path=/, no Domain). */
export function consoleCookieName(tls: boolean): string {
  return tls ? '__Host-scribe-console' : 'scribe-console';
}

const names = new Set([consoleCookieName(false), consoleCookieName(true)]);

/**
 * A `Cookie` header without the console's session cookie (undefined when nothing else is left;
 * unchanged when it had none).
 * Browsers send a host's cookies to every port of it, so the console's reaches the proxy's port
 * too: the proxy must not pass it on to the upstream.
 */
export function withoutConsoleCookie(header: string): string | undefined {
  const parts = header.split(';').map((part) => part.trim());
  // A part without `=` is a nameless cookie (RFC 6265bis 5.6), never the console's.
  const isConsole = (part: string) => {
    const eq = part.indexOf('=');
    return eq !== -1 && names.has(part.slice(0, eq).trim());
  };
  // A header without the console's cookie goes on byte for byte, as any other header does.
  if (!parts.some(isConsole)) return header;
  const kept = parts.filter((part) => part !== '' && !isConsole(part));
  return kept.length > 0 ? kept.join('; ') : undefined;
}
