/** The admin listener's own routes outside the admin API and the console. */
export type HealthRoute = '/healthz' | '/readyz' | '/metrics';

const routes: ReadonlySet<string> = new Set<HealthRoute>(['/healthz', '/readyz', '/metrics']);

/**
 * The health route a request is for, matched as express's router matched it, so probes and
 * scrapers see the same routes without express: GET and HEAD (and OPTIONS, which lists them),
 * the path in any case, one trailing slash allowed, the query and fragment ignored, nothing
 * percent-decoded. Any other request is no health route's.
 */
export function healthRoute(
  method: string | undefined,
  url: string | undefined,
): HealthRoute | undefined {
  if (method !== 'GET' && method !== 'HEAD' && method !== 'OPTIONS') return undefined;
  let path = /^[^?#]*/.exec(url ?? '')?.[0] ?? '';
  // An absolute-form target (`GET http://host/healthz`) names its path after the authority.
  if (!path.startsWith('/')) path = /^[a-z][a-z0-9+.-]*:\/\/[^/]*(\/.*)?$/i.exec(path)?.[1] ?? '';
  if (path.length > 1 && path.endsWith('/')) path = path.slice(0, -1);
  path = path.toLowerCase();
  return routes.has(path) ? (path as HealthRoute) : undefined;
}
