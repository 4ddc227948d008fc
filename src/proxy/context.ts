import type { IncomingMessage, ServerResponse } from 'node:http';
import { emptyPayloadHash } from '../signing/hotPath/index.js';
import type { SessionSource } from './authorizers.js';
import type { UpstreamAnswer } from './upstreamAnswer.js';
import type { ClientWatch } from './watchClientAbort.js';

/** The authorization of one upstream attempt: its headers and the secret they were made with. */
export interface Authorization {
  headers: Record<string, string>;
  used: unknown;
}

/** One proxied request as it moves through the passes. */
export interface ProxyContext {
  req: IncomingMessage;
  res: ServerResponse;
  requestId: string;
  startedAt: number;
  /** Aborted when the client leaves or shutdown cuts the request; every later step sees it. */
  client: ClientWatch;
  /** The same as an AbortSignal, for waits that take one (made on first use). */
  readonly signal: AbortSignal;
  /** The client's path, without the query (for logs). */
  clientPath: string;
  /**
   * The buffered request body, as the chunks it arrived in: never copied into one buffer, which
   * would cost a copy of every byte and a large allocation per request.
   */
  body: readonly Buffer[];
  /** Its length in bytes. */
  bodyLength: number;
  /** Hex SHA-256 of the body, computed as its chunks arrived. */
  payloadHash: string;
  /** Bytes this request took from the process-wide body budget, given back when it ends. */
  bodyHeld: number;
  /** The upstream path: base path + the client's path, byte-exact. */
  upstreamPath: string;
  /** The canonical query string, both signed and sent. */
  canonicalQuery: string;
  /** Headers to send upstream, before authorization. */
  headers: Record<string, string | string[]>;
  /** The session this request is authorised with (the shared one, or the client's own). */
  session?: SessionSource;
  /** Per-client mode: the Scribe username the client logged in as (for the log). */
  user?: string;
  authorization?: Authorization;
  /** The upstream's answer, once its headers arrived. */
  upstreamResponse?: UpstreamAnswer;
  /** A rejection body read to judge it (complete: it was read to its end). */
  rejection?: { body: Buffer; complete: boolean };
  upstreamStatus?: number;
  replayed: boolean;
  /** Seconds our clock is behind the upstream's, when it refused a signature as skewed. */
  clockSkewS?: number;
  /** Why the response broke off after it had started (logged; the client sees a cut stream). */
  brokenBy?: string;
}

/**
 * The context as a class: one allocation of a fixed shape per request (an object literal with a
 * getter is built through V8's slow path each time).
 */
class RequestContext implements ProxyContext {
  readonly startedAt = performance.now();
  body: readonly Buffer[] = [];
  bodyLength = 0;
  payloadHash = emptyPayloadHash;
  bodyHeld = 0;
  upstreamPath = '';
  canonicalQuery = '';
  headers: Record<string, string | string[]> = {};
  session?: SessionSource;
  user?: string;
  authorization?: Authorization;
  upstreamResponse?: UpstreamAnswer;
  rejection?: { body: Buffer; complete: boolean };
  upstreamStatus?: number;
  replayed = false;
  clockSkewS?: number;
  brokenBy?: string;

  constructor(
    readonly req: IncomingMessage,
    readonly res: ServerResponse,
    readonly client: ClientWatch,
    readonly requestId: string,
    public clientPath: string,
  ) {}

  get signal(): AbortSignal {
    return this.client.signal;
  }
}

/** A fresh context for a request, before any pass ran. */
export function createContext(
  req: IncomingMessage,
  res: ServerResponse,
  client: ClientWatch,
  requestId: string,
  clientPath: string,
): ProxyContext {
  return new RequestContext(req, res, client, requestId, clientPath);
}

/** A step of the pipeline: does one thing to the context, or throws a ProxyError. */
export type Pass = (ctx: ProxyContext) => void | Promise<void>;
