import type { IncomingMessage, ServerResponse } from 'node:http';

/** One proxied request as it moves through the passes. */
export interface ProxyContext {
  req: IncomingMessage;
  res: ServerResponse;
  requestId: string;
  startedAt: number;
  /** The client's path, without the query (for logs). */
  clientPath: string;
  /**
   * The buffered request body, as the chunks it arrived in: never copied into one buffer, which
   * would cost a copy of every byte and a large allocation per request.
   */
  body: readonly Buffer[];
  /** Its length in bytes. */
  bodyLength: number;
  /** The upstream path: base path + the client's path, byte-exact. */
  upstreamPath: string;
  /** Decoded query pairs, and the canonical string that is both signed and sent. */
  query: Record<string, string | string[]>;
  canonicalQuery: string;
  /** Headers to send upstream, before authorization. */
  headers: Record<string, string | string[]>;
  upstreamStatus?: number;
  replayed: boolean;
  /** Set when the client went away; later passes stop. */
  aborted: boolean;
}

/** A step of the pipeline: does one thing to the context, or throws a ProxyError. */
export type Pass = (ctx: ProxyContext) => void | Promise<void>;
