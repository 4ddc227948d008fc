import { consoleCookieName } from '../../http/index.js';

/** The console's cookie name: with TLS, `__Host-` (Secure, Path=/, no Domain). */
export const cookieName = consoleCookieName;

/**
 * `Set-Cookie` for a session id (HttpOnly, SameSite=Strict; Secure with TLS). Without `maxAgeS`
 * it is a browser-session cookie, never written to disk: the server ends the console session
 * after its idle and absolute limits anyway.
 */
export function sessionCookie(tls: boolean, id: string, maxAgeS?: number): string {
  const flags = ['Path=/', 'HttpOnly', 'SameSite=Strict'];
  if (maxAgeS !== undefined) flags.push(`Max-Age=${maxAgeS}`);
  if (tls) flags.push('Secure');
  return [`${cookieName(tls)}=${id}`, ...flags].join('; ');
}

/** `Set-Cookie` that removes the session cookie (sign out). */
export function clearedCookie(tls: boolean): string {
  return sessionCookie(tls, '', 0);
}

/** The value of cookie `name` in a `Cookie` header, if present. */
export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}
