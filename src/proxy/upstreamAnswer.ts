import type { Dispatcher } from 'undici';

/** Where an answer's body goes once someone takes it: each chunk, its end, or its break. */
export interface BodySink {
  /** A chunk; false asks for no more until `resume` (backpressure). */
  data(chunk: Buffer): boolean;
  end(): void;
  fail(err: Error): void;
}

/** What a rejection is judged by besides its body: its headers. */
export interface AnswerHeaders {
  /** The first value of header `name` (lower case), as received. */
  header(name: string): string | undefined;
}

// Held before a sink takes them; past this the upstream is asked to wait (a rejection being
// judged reads at most 64 KiB, so this never stalls one).
const heldBeforeSink = 128 * 1024;

/**
 * One upstream exchange, as undici's dispatch handler sees it and as the passes read it: the
 * status and headers once they arrive (then `answered` is called), the body held until a sink
 * takes it, then streamed to it with backpressure. An error before the headers goes to `failed`;
 * after them, to the sink (or is kept for the one that comes). One object per exchange, of a
 * fixed shape: no stream, no event emitter.
 */
export class UpstreamAnswer implements Dispatcher.DispatchHandler, AnswerHeaders {
  statusCode = 0;
  statusMessage = '';
  /** The headers as received: [name, value, ...], latin1 as on the wire. */
  rawHeaders: string[] = [];
  /** The whole body arrived. */
  complete = false;
  /** Why the body broke off, once it did. */
  error: Error | undefined;
  #held: Buffer[] = [];
  #heldBytes = 0;
  #sink: BodySink | undefined;
  #resume: (() => void) | undefined;
  #paused = false;
  #abort: ((err?: Error) => void) | undefined;
  /** Aborted while still queued for a connection: undici is told once it hands one over. */
  #abortedEarly: Error | undefined;
  #settled = false;
  /** The exchange ended (`ended` was told), and the sink was told of its end or break. */
  #over = false;
  #sinkTold = false;

  /**
   * `answered` once the headers came, or `failed` if the exchange broke before them; `ended`
   * once it is over either way (the body complete, or broken).
   */
  constructor(
    private readonly answered: (answer: UpstreamAnswer) => void,
    private readonly failed: (err: Error) => void,
    private readonly ended: () => void = () => {},
  ) {}

  /** The first value of header `name` (lower case), as received. */
  header(name: string): string | undefined {
    const raw = this.rawHeaders;
    for (let i = 0; i < raw.length; i += 2) {
      if ((raw[i] as string).toLowerCase() === name) return raw[i + 1];
    }
    return undefined;
  }

  /** Stop the exchange: the connection is dropped, and a sink or a waiter sees `err`. */
  abort(err: Error): void {
    if (this.#abort) {
      this.#abort(err);
      return;
    }
    this.#abortedEarly ??= err;
    this.onError(err);
  }

  /** The whole body, once it arrived and before a sink took any of it (taking empties the hold). */
  takeHeld(): Buffer[] {
    const held = this.#held;
    this.#held = [];
    this.#heldBytes = 0;
    return held;
  }

  /**
   * Stream the rest of the body to `sink`: what is held first, then each chunk as it comes, as
   * fast as the sink takes them (a sink that said "no more" gets nothing until `resume`).
   */
  pipeTo(sink: BodySink): void {
    this.#sink = sink;
    this.resume();
  }

  /** The sink takes chunks again (after its `data` returned false). */
  resume(): void {
    if (!this.#deliverHeld()) return;
    if (this.#paused) {
      this.#paused = false;
      this.#resume?.();
    }
  }

  /** Hand the held chunks to the sink while it takes them, then the end or the break. */
  #deliverHeld(): boolean {
    const sink = this.#sink;
    if (!sink) return false;
    while (this.#held.length > 0) {
      const chunk = this.#held.shift() as Buffer;
      this.#heldBytes -= chunk.length;
      if (!sink.data(chunk)) return false;
    }
    if (!this.#sinkTold && (this.complete || this.error)) {
      this.#sinkTold = true;
      if (this.error) sink.fail(this.error);
      else sink.end();
    }
    return true;
  }

  /** The exchange is over (complete or broken): `ended` once, and the sink once its hold is out. */
  #end(): void {
    if (!this.#over) {
      this.#over = true;
      this.ended();
    }
    if (this.#held.length === 0) this.#deliverHeld();
  }

  onConnect(abort: (err?: Error) => void): void {
    if (this.#abortedEarly) abort(this.#abortedEarly);
    else this.#abort = abort;
  }

  onHeaders(statusCode: number, headers: Buffer[], resume: () => void, statusText: string) {
    // 1xx informational answers (100 Continue, 103 Early Hints) are not the answer.
    if (statusCode < 200) return true;
    this.statusCode = statusCode;
    this.statusMessage = statusText;
    const raw: string[] = new Array<string>(headers.length);
    for (let i = 0; i < headers.length; i++) raw[i] = (headers[i] as Buffer).toString('latin1');
    this.rawHeaders = raw;
    this.#resume = resume;
    this.#settled = true;
    this.answered(this);
    return true;
  }

  onData(chunk: Buffer): boolean {
    const sink = this.#sink;
    if (sink && this.#held.length === 0) {
      if (sink.data(chunk)) return true;
    } else {
      this.#held.push(chunk);
      this.#heldBytes += chunk.length;
      if (!sink && this.#heldBytes < heldBeforeSink) return true;
    }
    this.#paused = true;
    return false;
  }

  onComplete(): void {
    this.complete = true;
    this.#end();
  }

  onError(err: Error): void {
    if (!this.#settled) {
      this.#settled = true;
      this.#over = true;
      this.ended();
      this.failed(err);
      return;
    }
    if (this.complete || this.error) return;
    // A 204 or 304 has no body, whatever Content-Length it states (for a 304, that of the
    // representation, RFC 9110 8.6): undici counts the missing bytes as a cut answer.
    if (
      (this.statusCode === 204 || this.statusCode === 304) &&
      (err as NodeJS.ErrnoException).code === 'UND_ERR_RES_CONTENT_LENGTH_MISMATCH'
    ) {
      this.onComplete();
      return;
    }
    this.error = err;
    this.#end();
  }
}
