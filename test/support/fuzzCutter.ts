import { connect, createServer, type AddressInfo, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { Duplex } from 'node:stream';
import {
  Random,
  shapes,
  type ListenerName,
  type Shape,
  type ShapeContext,
  type Shaped,
} from './fuzzCorpus.js';

/** How a case ends its connection: a FIN (close) or an RST (reset). */
export type Ending = 'FIN' | 'RST';

/** One fuzz case: a shape, sent in pieces up to a byte, perhaps a wait, then FIN or RST. */
export interface FuzzCase {
  index: number;
  listener: ListenerName;
  shape: string;
  shaped: Shaped;
  /** Bytes written before the cut. */
  upTo: number;
  /** Offsets where the writes are split. */
  splits: number[];
  /** After the last write, wait this long before the cut (ms). */
  waitMs: number;
  ending: Ending;
  /** Sent inside TLS (a TLS listener and a shape that is not raw). */
  tls: boolean;
}

/** The case as a line a person can read (and find again with the seed). */
export function describeCase(c: FuzzCase): string {
  const where =
    c.upTo === c.shaped.bytes.length
      ? `after the whole request${c.waitMs > 0 ? ` and ${c.waitMs} ms` : ''}`
      : `at byte ${c.upTo} of ${c.shaped.bytes.length}`;
  const pieces = c.splits.length > 0 ? `, written in ${c.splits.length + 1} pieces` : '';
  return `#${c.index} ${c.listener} ${c.tls ? 'TLS' : 'raw'} "${c.shape}" cut by ${c.ending} ${where}${pieces}`;
}

export interface CaseOptions {
  perClient: boolean;
  /** The listeners serve TLS. */
  tls: boolean;
  /** The context a shape is made in, for a listener. */
  context(listener: ListenerName, random: Random): ShapeContext;
}

/** Where to cut a shape: mostly near the ends of its parts, sometimes anywhere or after it all. */
function cutPoint(shaped: Shaped, random: Random): { upTo: number; waitMs: number } {
  const length = shaped.bytes.length;
  const roll = random.next();
  if (shaped.waits ? roll < 0.6 : roll < 0.2) {
    return { upTo: length, waitMs: random.int(0, shaped.waits ? 80 : 10) };
  }
  if (roll < 0.75) {
    const mark = random.pick(shaped.marks);
    return { upTo: Math.max(0, Math.min(length, mark + random.int(-2, 2))), waitMs: 0 };
  }
  return { upTo: random.int(0, length), waitMs: 0 };
}

/** `count` cases drawn from `seed`: the same seed, the same cases. */
export function makeCases(seed: number, count: number, options: CaseOptions): FuzzCase[] {
  const random = new Random(seed);
  const fitting = (listener: ListenerName): Shape[] =>
    shapes.filter((s) => s.listeners.includes(listener) && (options.perClient || !s.perClientOnly));
  const cases: FuzzCase[] = [];
  for (let index = 0; index < count; index++) {
    const listener: ListenerName = random.next() < 0.65 ? 'proxy' : 'admin';
    const shape = random.pick(fitting(listener));
    const shaped = shape.make(options.context(listener, random));
    const { upTo, waitMs } = cutPoint(shaped, random);
    const splits = Array.from({ length: upTo > 1 ? random.int(0, 2) : 0 }, () =>
      random.int(1, upTo - 1),
    ).sort((a, b) => a - b);
    cases.push({
      index,
      listener,
      shape: shape.name,
      shaped,
      upTo,
      splits,
      waitMs,
      ending: random.next() < 0.5 ? 'FIN' : 'RST',
      tls: options.tls && !shaped.raw,
    });
  }
  return cases;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Resolves true once `socket` is closed, false after `ms`. */
function closedWithin(socket: Socket, ms: number): Promise<boolean> {
  if (socket.destroyed) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    socket.once('close', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

/** What became of a case, seen from the client. */
export interface CaseOutcome {
  /** After a FIN the server kept the connection open longer than the bound. */
  hung: boolean;
}

/**
 * A stream carrying TLS over `raw` that leaves `raw` its own TCP handle (TLS straight on a TCP
 * socket takes the handle over), so that the case can still reset `raw`.
 */
function carrier(raw: Socket): Duplex {
  const stream = new Duplex({
    read() {},
    write(chunk: Buffer, _encoding, callback) {
      if (raw.destroyed) return callback();
      raw.write(chunk, () => callback());
    },
    final(callback) {
      raw.end();
      callback();
    },
  });
  raw.on('data', (chunk: Buffer) => stream.push(chunk));
  raw.on('end', () => stream.push(null));
  raw.on('close', () => stream.destroy());
  return stream;
}

/**
 * Play one case against a listener: connect (TLS when the case says so), write its bytes in its
 * pieces up to the cut, wait, then close (FIN) or reset (RST). Everything the server answers is
 * read and dropped; errors are the expected end of a cut connection.
 */
export async function playCase(
  target: { host: string; port: number; ca?: string },
  c: FuzzCase,
  hangMs = 5000,
): Promise<CaseOutcome> {
  const raw = connect(target.port, target.host);
  raw.on('error', () => undefined);
  const connected = await new Promise<boolean>((resolve) => {
    raw.once('connect', () => resolve(true));
    raw.once('close', () => resolve(false));
  });
  if (!connected) return { hung: false };
  let stream: Duplex = raw;
  if (c.tls) {
    const secure = tlsConnect({ socket: carrier(raw), ca: target.ca, servername: 'localhost' });
    secure.on('error', () => undefined);
    const ready = await new Promise<boolean>((resolve) => {
      secure.once('secureConnect', () => resolve(true));
      secure.once('close', () => resolve(false));
    });
    if (!ready) {
      raw.destroy();
      return { hung: false };
    }
    stream = secure;
  }
  stream.resume();
  let from = 0;
  for (const at of [...c.splits, c.upTo]) {
    if (at > from && !stream.destroyed) stream.write(c.shaped.bytes.subarray(from, at));
    from = at;
    if (at !== c.upTo) await new Promise((resolve) => setImmediate(resolve));
  }
  if (c.waitMs > 0) await sleep(c.waitMs);
  if (c.ending === 'RST') {
    if (!raw.destroyed) raw.resetAndDestroy();
    stream.destroy();
    return { hung: false };
  }
  stream.end();
  const closed = await closedWithin(raw, hangMs);
  raw.destroy();
  stream.destroy();
  return { hung: !closed };
}

/** The first flight of a TLS client (its ClientHello), as a TLS listener would receive it. */
export async function captureClientHello(): Promise<Buffer> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  try {
    return await new Promise<Buffer>((resolve, reject) => {
      server.once('connection', (socket: Socket) => {
        socket.once('data', (chunk: Buffer) => {
          resolve(chunk);
          socket.destroy();
        });
      });
      const client = tlsConnect({ port, host: '127.0.0.1', servername: 'localhost' });
      client.on('error', () => undefined);
      setTimeout(() => reject(new Error('no ClientHello')), 5000).unref();
    });
  } finally {
    server.close();
  }
}
