import { isIP } from 'node:net';
import type { TLSSocket } from 'node:tls';
import type { Pass } from './context.js';
import { ProxyError } from './ProxyError.js';

/** Which browsers' requests and which `Host` names the proxy answers. */
export interface BrowserGuard {
  /** The proxy listens on a loopback address: loopback `Host` names are its own. */
  loopbackBind: boolean;
  /** `PROXY_ALLOWED_HOSTS`: names (or name:port) the proxy answers to beyond loopback. */
  allowedHosts: readonly string[];
  /** `PROXY_ALLOWED_ORIGINS`: browser origins allowed to use the proxy (`https://app.example`). */
  allowedOrigins: readonly string[];
}

/** Loopback bind, nothing else allowed: the safe default on a workstation. */
export const loopbackOnly: BrowserGuard = {
  loopbackBind: true,
  allowedHosts: [],
  allowedOrigins: [],
};

// RFC 9110's Host: a name or an IPv4 address, or an IPv6 address in brackets, then an optional port.
const hostSyntax = /^(?:\[([0-9a-f:.]+)\]|([a-z0-9_.-]+))(?::\d{1,5})?$/;

/**
 * The name of a Host header value, lower case, without port or IPv6 brackets; undefined when it
 * is not that syntax (`localhost:80@evil.example` names no loopback host).
 */
function hostName(host: string): string | undefined {
  const match = hostSyntax.exec(host.toLowerCase());
  return match ? (match[1] ?? match[2]) : undefined;
}

/** True for `localhost` (and its subdomains, which resolve to loopback), 127/8 and ::1. */
export function isLoopbackName(name: string): boolean {
  if (name === 'localhost' || name.endsWith('.localhost')) return true;
  if (isIP(name) === 4) return name.startsWith('127.');
  return name === '::1';
}

/**
 * How the proxy stands to a request's Host: one of its own names (loopback on a loopback bind, or
 * listed), any name passes unchecked (another bind with no PROXY_ALLOWED_HOSTS, or no Host), or
 * refused. Only its own names make a browser's `same-origin` the proxy's own origin.
 */
function hostStanding(
  host: string | undefined,
  guard: BrowserGuard,
): 'own' | 'unchecked' | 'refused' {
  if (host === undefined) return 'unchecked';
  const open = !guard.loopbackBind && guard.allowedHosts.length === 0;
  const name = hostName(host);
  if (name === undefined) return open ? 'unchecked' : 'refused';
  // An entry is a Host as it is written: a name alone matches it on any port, name:port only so.
  const hostOnly = isIP(name) === 6 ? `[${name}]` : name;
  const listed = guard.allowedHosts.some(
    (entry) => entry === hostOnly || entry === host.toLowerCase(),
  );
  if (listed || (guard.loopbackBind && isLoopbackName(name))) return 'own';
  return open ? 'unchecked' : 'refused';
}

const refused = (code: string, message: string) => new ProxyError(403, code, message);

/**
 * Browsers are not clients (flow step 1): the legacy apps this proxy serves send neither `Origin`
 * nor `Sec-Fetch-Site`, while a web page on another site does (a no-cors POST still goes out and
 * would be signed). Refuse a request a browser marks as from any page but the proxy's own, or
 * whose `Origin` is not the proxy's own or allowed; and against DNS rebinding, a `Host` that is
 * not the proxy's (loopback names on a loopback bind, else PROXY_ALLOWED_HOSTS when set; with
 * neither, no Host is the proxy's own). All this before the body is read.
 */
export function refuseBrowsers(guard: BrowserGuard): Pass {
  const origins = new Set(guard.allowedOrigins);
  return (ctx) => {
    const { headers } = ctx.req;
    const host = headers.host;
    const standing = hostStanding(host, guard);
    if (host !== undefined && standing === 'refused') {
      throw refused(
        'host_refused',
        `this proxy does not answer to the host name ${JSON.stringify(host.slice(0, 100))} (DNS rebinding protection); add it to PROXY_ALLOWED_HOSTS if clients use it`,
      );
    }
    // Browsers send one of four values: a typed URL's passes, and a page's own only on a Host the
    // proxy knows as its own (any name passes on an open bind: a rebinding page's own too).
    const site = headers['sec-fetch-site'];
    if (site !== undefined && site !== 'none' && !(site === 'same-origin' && standing === 'own')) {
      throw refused(
        'cross_site_refused',
        `a browser sent this request from a web page (Sec-Fetch-Site: ${site.slice(0, 40)}); web pages may not use this proxy`,
      );
    }
    const origin = headers.origin;
    if (origin === undefined || origins.has(origin)) return;
    const scheme = (ctx.req.socket as Partial<TLSSocket> | undefined)?.encrypted ? 'https' : 'http';
    const own = standing === 'own' && `${scheme}://${host?.toLowerCase()}` === origin.toLowerCase();
    if (own) return;
    throw refused(
      'origin_refused',
      `requests from the web origin ${JSON.stringify(origin.slice(0, 100))} are refused; add it to PROXY_ALLOWED_ORIGINS to allow it`,
    );
  };
}
