import type { Socket } from 'node:net';
import type { buildConnector as BuildConnector, Dispatcher } from 'undici';
import buildConnector from 'undici/lib/core/connect.js';
import Client from 'undici/lib/dispatcher/client.js';
import Pool from 'undici/lib/dispatcher/pool.js';
import { egressProxyFor } from './egress.js';
import { proxyAuthorization } from './proxyAuthorization.js';
import type { EgressProxy } from './readEgress.js';

/** How the proxy's calls to its upstream travel, and what each adds to a request. */
export interface UpstreamDispatcher {
  /** The keep-alive pool every request goes through. */
  pool: Dispatcher;
  /**
   * A connection of its own for one retry after the keep-alive race (closed once the answer is
   * read), so that a second stale connection of the pool is never picked.
   */
  fresh(): Dispatcher;
  /** The origin of the upstream, when requests go to an egress proxy in absolute form. */
  absoluteOrigin: string | undefined;
  /** Proxy-Authorization for an egress proxy that takes requests in absolute form. */
  proxyAuthorization: string | undefined;
  /** The origin dispatches name (the upstream's; ProxyAgent tunnels to it). */
  origin: string;
}

export interface UpstreamDispatchOptions {
  /** Connections the pool may open, and keep. */
  connections: number;
  /** How long an idle connection is kept. */
  keepAliveMs: number;
  /** Longest wait for a connection (TCP and TLS) to the upstream or the egress proxy. */
  connectTimeoutMs: number;
  /** Told of every connection opened to the upstream or to an http egress proxy. */
  onSocket?: (socket: Socket) => void;
}

/**
 * The upstream's keep-alive pool (undici: its HTTP/1.1 client costs about half of node:http's
 * per request, bench/optimisations.md). Through the egress proxy when one applies (as curl picks
 * it, egressProxyFor): CONNECT for an https upstream; for an http one, every request goes to the
 * proxy in absolute form, built from the configured origin and the path as bytes (nothing a
 * client sent is parsed as a URL). Idle connections close after `keepAliveMs`.
 */
export async function upstreamDispatcher(
  target: URL,
  egress: EgressProxy,
  options: UpstreamDispatchOptions,
): Promise<UpstreamDispatcher> {
  const proxy = egressProxyFor(target, egress);
  const origin = `${target.protocol}//${target.host}`;
  const connectVia = (): BuildConnector.connector => {
    const connect = buildConnector({ timeout: options.connectTimeoutMs });
    const onSocket = options.onSocket;
    if (!onSocket) return connect;
    return (opts, callback) =>
      connect(opts, (...args: BuildConnector.CallbackArgs) => {
        if (args[1]) onSocket(args[1]);
        callback(...args);
      });
  };
  const clientOptions = {
    keepAliveTimeout: options.keepAliveMs,
    keepAliveMaxTimeout: options.keepAliveMs,
    // An upstream's Keep-Alive hint is trusted down to a second before it.
    keepAliveTimeoutThreshold: 1000,
  };
  if (proxy && target.protocol === 'https:') {
    // The whole of undici, loaded only here: its ProxyAgent needs the request API the package's
    // index adds to every dispatcher (CONNECT). Its default export: a CommonJS module's only
    // export once bundled.
    const { ProxyAgent, Pool: ProxyPool } = (await import('undici')).default;
    // Proxy-Authorization from the URL's user info, a user name alone included (ProxyAgent
    // itself sends it only with both a user name and a password).
    const token = proxyAuthorization(proxy);
    const tunnel = () =>
      new ProxyAgent({
        uri: proxy.href,
        ...(token ? { token } : {}),
        // An egress proxy that takes the CONNECT and never answers frees its connection within
        // the upstream timeout, not undici's 300 s.
        clientFactory: (proxyOrigin: URL, opts: object) =>
          new ProxyPool(proxyOrigin, { ...opts, headersTimeout: options.connectTimeoutMs }),
        connections: options.connections,
        ...clientOptions,
        proxyTls: { timeout: options.connectTimeoutMs },
        requestTls: { timeout: options.connectTimeoutMs },
      });
    return {
      pool: tunnel(),
      fresh: tunnel,
      absoluteOrigin: undefined,
      proxyAuthorization: undefined,
      origin,
    };
  }
  const via = proxy ?? target;
  const viaOrigin = `${via.protocol}//${via.host}`;
  return {
    pool: new Pool(viaOrigin, {
      connections: options.connections,
      ...clientOptions,
      connect: connectVia(),
    }),
    fresh: () => new Client(viaOrigin, { ...clientOptions, connect: connectVia() }),
    absoluteOrigin: proxy ? origin : undefined,
    proxyAuthorization: proxy ? proxyAuthorization(proxy) : undefined,
    origin: viaOrigin,
  };
}
