import type { TLSSocket } from 'node:tls';
import { hostStanding, type HostRule } from '../http/index.js';
import type { Pass } from './context.js';
import { ProxyError } from './ProxyError.js';

/**
 * Which browsers' requests and which `Host` names the proxy answers: loopback names when it
 * listens on a loopback address, and `PROXY_ALLOWED_HOSTS`.
 */
export interface BrowserGuard extends HostRule {
  /** `PROXY_ALLOWED_ORIGINS`: browser origins allowed to use the proxy (`https://app.example`). */
  allowedOrigins: readonly string[];
}

/** Loopback bind, nothing else allowed: the safe default on a workstation. */
export const loopbackOnly: BrowserGuard = {
  loopbackBind: true,
  allowedHosts: [],
  allowedOrigins: [],
};

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
