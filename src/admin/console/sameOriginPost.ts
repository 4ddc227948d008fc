import type { IncomingHttpHeaders } from 'node:http';

/**
 * Whether a form post comes from the console's own pages (DESIGN.md, "Faces: Console"): a
 * browser that sends `Sec-Fetch-Site` must say `same-origin`; one that does not must send an
 * `Origin` equal to ours. Under `Referrer-Policy: no-referrer` Chromium sends `Origin: null` on
 * same-origin form posts, so `null` passes only beside `Sec-Fetch-Site: same-origin`, which a
 * cross-site page cannot forge. The per-session CSRF token is checked as well.
 */
export function isSameOriginPost(headers: IncomingHttpHeaders, tls: boolean): boolean {
  const site = headers['sec-fetch-site'];
  if (site !== undefined) return site === 'same-origin';
  const origin = headers.origin;
  const host = headers.host;
  if (!origin || !host) return false;
  return origin === `${tls ? 'https' : 'http'}://${host}`;
}
