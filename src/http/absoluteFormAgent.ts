import { Agent as HttpAgent, type AgentOptions, type ClientRequest } from 'node:http';
import { connect as connectTcp, type Socket } from 'node:net';
import { connect as connectTls } from 'node:tls';
import { proxyAuthorization } from './proxyAuthorization.js';

/** What node's Agent does with a request; not in @types/node. */
type AddRequest = (req: ClientRequest, options: unknown) => void;

/**
 * An agent for plain-http calls through an egress proxy: every connection goes to the proxy, and
 * each request asks it for `origin + path`, the absolute form. The origin is the configured
 * target's and the path is appended as the bytes it is: nothing a client sent is ever parsed as a
 * URL (http-proxy-agent resolves the path with `new URL(path, base)`, which reads `//other.host/`
 * or `/\other.host/` as another host and rewrites `/a/../b`).
 */
export class AbsoluteFormAgent extends HttpAgent {
  readonly #origin: string;
  readonly #proxy: URL;
  readonly #proxyAuthorization: string | undefined;

  constructor(proxy: URL, target: URL, options: AgentOptions = {}) {
    super(options);
    this.#proxy = proxy;
    this.#origin = `${target.protocol}//${target.host}`;
    this.#proxyAuthorization = proxyAuthorization(proxy);
  }

  /** Every request this agent carries targets its configured origin, whatever its path says. */
  addRequest(req: ClientRequest, options: unknown): void {
    req.path = this.#origin + req.path;
    if (this.#proxyAuthorization) req.setHeader('proxy-authorization', this.#proxyAuthorization);
    (HttpAgent.prototype as unknown as { addRequest: AddRequest }).addRequest.call(
      this,
      req,
      options,
    );
  }

  /** Connections go to the egress proxy (over TLS when its URL is https). */
  override createConnection(): Socket {
    const host = this.#proxy.hostname.replace(/^\[|\]$/g, '');
    const tls = this.#proxy.protocol === 'https:';
    const port = Number(this.#proxy.port) || (tls ? 443 : 80);
    return tls ? connectTls({ host, port, servername: host }) : connectTcp({ host, port });
  }
}
