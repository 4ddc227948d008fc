import { fork, type ChildProcess } from 'node:child_process';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';

/**
 * How the upstream ends the connection after its early answer: `close` (it closes without reading
 * the rest: the kernel resets a socket closed with unread data), `reset` (an RST at once,
 * SO_LINGER 0), or `keep-alive` (an answer that does not say it closes, then an RST all the same).
 */
export type EarlyEnd = 'close' | 'reset' | 'keep-alive';

/** What arrived at the upstream. */
export interface EarlyCounts {
  /** Requests whose head arrived. */
  arrivals: number;
  /** TCP connections accepted. */
  connections: number;
}

type Question = { kind: 'end'; end: EarlyEnd } | { kind: 'counts' } | { kind: 'reset-counts' };
type Command = { id: number } & Question;
type Reply = { id: number; counts: EarlyCounts } | { port: number };

/** The early answer: what API Gateway says when a body is over its limit. */
export const earlyAnswer = {
  status: 413,
  body: '{"message":"Request Entity Too Large"}',
};

const childArgument = 'early-answer-upstream';

/**
 * An upstream that answers a request with a body as soon as its head arrives, before reading the
 * body (RFC 9112 §9.3 allows it: API Gateway's 413, an authorizer's 401/403), then ends the
 * connection as `end` says; a request without a body gets 200 and the connection stays open.
 * It runs in a process of its own, as a server on another machine would: it answers while the
 * proxy is still inside its write of the body, which an upstream sharing the proxy's event loop
 * never can. (Not a worker thread: on Node 20 a worker that reset a socket never exits.) It
 * counts arrivals and connections, so a test can tell a request was never sent twice.
 */
export class EarlyAnswerUpstream {
  url = '';
  #child: ChildProcess | undefined;
  #nextId = 0;
  readonly #waiting = new Map<number, (counts: EarlyCounts) => void>();

  async start(): Promise<this> {
    const child = fork(fileURLToPath(import.meta.url), [childArgument], { stdio: 'ignore' });
    this.#child = child;
    const port = await new Promise<number>((resolve, reject) => {
      child.once('error', reject);
      child.once('exit', () => reject(new Error('the early-answer upstream exited')));
      child.on('message', (reply: Reply) => {
        if ('port' in reply) resolve(reply.port);
        else this.#waiting.get(reply.id)?.(reply.counts);
      });
    });
    this.url = `http://127.0.0.1:${port}`;
    return this;
  }

  /** How connections end after an early answer, from now on. */
  setEnd(end: EarlyEnd): Promise<EarlyCounts> {
    return this.#ask({ kind: 'end', end });
  }

  /** What arrived since the last resetCounts(). */
  counts(): Promise<EarlyCounts> {
    return this.#ask({ kind: 'counts' });
  }

  /** Count from zero again. */
  resetCounts(): Promise<EarlyCounts> {
    return this.#ask({ kind: 'reset-counts' });
  }

  async stop(): Promise<void> {
    const child = this.#child;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill();
    await exited;
  }

  #ask(question: Question): Promise<EarlyCounts> {
    const id = this.#nextId++;
    return new Promise<EarlyCounts>((resolve) => {
      this.#waiting.set(id, (counts) => {
        this.#waiting.delete(id);
        resolve(counts);
      });
      this.#child?.send({ id, ...question } satisfies Command);
    });
  }
}

/** The server, in the child process. */
function serve(): void {
  const counts: EarlyCounts = { arrivals: 0, connections: 0 };
  let end: EarlyEnd = 'close';
  const answer = (req: IncomingMessage, res: ServerResponse) => {
    counts.arrivals++;
    if (Number(req.headers['content-length'] ?? 0) === 0) {
      res.end('warm');
      return;
    }
    res.writeHead(earlyAnswer.status, {
      'content-type': 'application/json',
      ...(end === 'keep-alive' ? {} : { connection: 'close' }),
    });
    // The answer is in the kernel once written; the connection ends at once after it (not a
    // turn of the event loop later), as a server in C would end it.
    const closeNow = () => {
      if (end === 'close') req.socket.destroy();
      else req.socket.resetAndDestroy();
    };
    res.end(earlyAnswer.body);
    if (req.socket.writableLength === 0) closeNow();
    else res.once('finish', closeNow);
  };
  const server = createServer(answer);
  server.on('connection', (socket) => {
    counts.connections++;
    socket.on('error', () => undefined);
  });
  process.on('message', (command: Command) => {
    if (command.kind === 'end') end = command.end;
    if (command.kind === 'reset-counts') Object.assign(counts, { arrivals: 0, connections: 0 });
    process.send?.({ id: command.id, counts: { ...counts } } satisfies Reply);
  });
  // Ends with its parent.
  process.on('disconnect', () => process.exit(0));
  server.listen(0, '127.0.0.1', () => {
    process.send?.({ port: (server.address() as AddressInfo).port } satisfies Reply);
  });
}

if (process.argv[2] === childArgument && process.send) serve();
