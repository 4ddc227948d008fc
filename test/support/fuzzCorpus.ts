/** A seeded pseudo-random source (mulberry32): the same seed gives the same cases. */
export class Random {
  #state: number;
  constructor(seed: number) {
    this.#state = seed >>> 0;
  }
  /** A float in [0, 1). */
  next(): number {
    this.#state = (this.#state + 0x6d2b79f5) >>> 0;
    let t = this.#state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  /** An integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(0, items.length - 1)] as T;
  }
}

/** Which listener a shape is sent to. */
export type ListenerName = 'proxy' | 'admin';

/**
 * What a shape is: its bytes, and the offsets where its parts end (request line, headers, body,
 * and the same again for a pipelined request): the cutter cuts near those most.
 */
export interface Shaped {
  bytes: Buffer;
  marks: number[];
  /** The answer takes a while on purpose (Cognito or the upstream): cut it by time too. */
  waits?: boolean;
  /** Sent as is, never inside TLS (a ClientHello, or plain HTTP for a TLS port). */
  raw?: boolean;
}

/** Where a shape goes and what it may carry. */
export interface ShapeContext {
  listener: ListenerName;
  host: string;
  /** Authorization for a proxied request (per-client mode: a Basic login); none in shared mode. */
  authorization?: string;
  /** Authorization for the admin listener (the admin token), so requests reach its routes. */
  adminAuthorization?: string;
  /** A Basic login Cognito has not seen yet (per-client mode), to make the proxy wait for it. */
  freshLogin?: () => string;
  /** The ClientHello a TLS client opens with. */
  clientHello: Buffer;
  random: Random;
}

/** One request shape: a name, the listeners it is sent to, and its bytes. */
export interface Shape {
  name: string;
  listeners: readonly ListenerName[];
  /** Only in per-client mode. */
  perClientOnly?: boolean;
  make(context: ShapeContext): Shaped;
}

/** Bytes built from parts; the offset after each part is a mark. */
function parts(...pieces: Array<string | Buffer>): Shaped {
  const buffers = pieces.map((p) => (typeof p === 'string' ? Buffer.from(p, 'latin1') : p));
  const marks: number[] = [];
  let offset = 0;
  for (const buffer of buffers) {
    offset += buffer.length;
    marks.push(offset);
  }
  return { bytes: Buffer.concat(buffers), marks };
}

/** Admin routes that read no body, and routes that parse one (none that ends the session). */
const adminReads = ['/healthz', '/readyz', '/metrics', '/console/', '/admin/session'];
const adminWrites = ['/admin/password/forgot', '/admin/mfa/verify', '/console/sign-in'];

const path = (context: ShapeContext, proxied: string, body = false) =>
  context.listener === 'admin' ? context.random.pick(body ? adminWrites : adminReads) : proxied;

const authLine = (context: ShapeContext) => {
  const value = context.listener === 'admin' ? context.adminAuthorization : context.authorization;
  return value ? `Authorization: ${value}\r\n` : '';
};

const json = (bytes: number) => `{"pad":"${'x'.repeat(Math.max(0, bytes - 10))}"}`;

const get = (context: ShapeContext, target: string, version = '1.1', extra = '') =>
  parts(
    `GET ${target} HTTP/${version}\r\n`,
    `Host: ${context.host}\r\n${authLine(context)}${extra}User-Agent: fuzz\r\n\r\n`,
  );

/** The corpus: every request shape the listeners meet, well-formed or not. */
export const shapes: readonly Shape[] = [
  {
    name: 'GET',
    listeners: ['proxy', 'admin'],
    make: (c) => get(c, path(c, '/fuzz/get?a=1&b=two')),
  },
  {
    name: 'POST with Content-Length',
    listeners: ['proxy', 'admin'],
    make: (c) => {
      const body = json(c.random.int(1, 600));
      return parts(
        `POST ${path(c, '/fuzz/post', true)} HTTP/1.1\r\n`,
        `Host: ${c.host}\r\n${authLine(c)}Content-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`,
        body,
      );
    },
  },
  {
    name: 'chunked with trailers',
    listeners: ['proxy', 'admin'],
    make: (c) =>
      parts(
        `POST ${path(c, '/fuzz/chunked', true)} HTTP/1.1\r\n`,
        `Host: ${c.host}\r\n${authLine(c)}Content-Type: application/json\r\nTransfer-Encoding: chunked\r\nTrailer: X-Check\r\n\r\n`,
        '5\r\n{"a":\r\n',
        '1c\r\n"abcdefghijklmnopqrstuvwxy"}\r\n',
        '0\r\nX-Check: done\r\n\r\n',
      ),
  },
  {
    name: 'Expect: 100-continue',
    listeners: ['proxy', 'admin'],
    make: (c) => {
      const body = json(c.random.int(10, 300));
      return parts(
        `PUT ${path(c, '/fuzz/expect', true)} HTTP/1.1\r\n`,
        `Host: ${c.host}\r\n${authLine(c)}Content-Type: application/json\r\nExpect: 100-continue\r\nContent-Length: ${body.length}\r\n\r\n`,
        body,
      );
    },
  },
  {
    name: 'HTTP/1.0 without Host',
    listeners: ['proxy', 'admin'],
    make: (c) =>
      parts(`GET ${path(c, '/fuzz/old')} HTTP/1.0\r\n`, `${authLine(c)}User-Agent: old\r\n\r\n`),
  },
  {
    name: 'CONNECT',
    listeners: ['proxy', 'admin'],
    make: () =>
      parts('CONNECT example.com:443 HTTP/1.1\r\n', 'Host: example.com:443\r\n\r\n', 'tunnel?'),
  },
  {
    name: 'WebSocket Upgrade',
    listeners: ['proxy', 'admin'],
    make: (c) =>
      parts(
        `GET ${path(c, '/fuzz/ws')} HTTP/1.1\r\n`,
        `Host: ${c.host}\r\n${authLine(c)}Connection: Upgrade\r\nUpgrade: websocket\r\n` +
          'Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n',
        Buffer.from([0x81, 0x85, 1, 2, 3, 4, 0x69, 0x67, 0x6f, 0x68, 0x6e]),
      ),
  },
  {
    name: 'absolute-form',
    listeners: ['proxy', 'admin'],
    make: (c) => get(c, 'http://169.254.169.254/latest/meta-data/'),
  },
  {
    name: 'pipelined',
    listeners: ['proxy', 'admin'],
    make: (c) => {
      const first = get(c, path(c, '/fuzz/one'));
      const body = json(40);
      const second = parts(
        `POST ${path(c, '/fuzz/two', true)} HTTP/1.1\r\n`,
        `Host: ${c.host}\r\n${authLine(c)}Content-Length: ${body.length}\r\n\r\n`,
        body,
      );
      const third = get(c, path(c, '/fuzz/three'), '1.1', 'Connection: close\r\n');
      const all = [first, second, third];
      const marks: number[] = [];
      let offset = 0;
      for (const one of all) {
        marks.push(...one.marks.map((m) => m + offset));
        offset += one.bytes.length;
      }
      return { bytes: Buffer.concat(all.map((one) => one.bytes)), marks };
    },
  },
  {
    name: 'headers too large',
    listeners: ['proxy', 'admin'],
    make: (c) => get(c, path(c, '/fuzz/large'), '1.1', `X-Pad: ${'p'.repeat(20 * 1024)}\r\n`),
  },
  {
    name: 'body too large',
    listeners: ['proxy', 'admin'],
    make: (c) => {
      const body = json(12 * 1024);
      return parts(
        `POST ${path(c, '/fuzz/big', true)} HTTP/1.1\r\n`,
        `Host: ${c.host}\r\n${authLine(c)}Content-Length: ${body.length}\r\n\r\n`,
        body,
      );
    },
  },
  {
    name: 'garbage',
    listeners: ['proxy', 'admin'],
    make: (c) => {
      const length = c.random.int(1, 400);
      const bytes = Buffer.alloc(length);
      for (let i = 0; i < length; i++) {
        bytes[i] = c.random.next() < 0.1 ? c.random.pick([13, 10, 32, 58]) : c.random.int(0, 255);
      }
      return { bytes, marks: [length] };
    },
  },
  {
    name: 'a TLS ClientHello',
    listeners: ['proxy', 'admin'],
    make: (c) => ({ ...parts(c.clientHello.subarray(0, 5), c.clientHello.subarray(5)), raw: true }),
  },
  {
    name: 'plain HTTP sent raw (on a TLS port: not TLS)',
    listeners: ['proxy', 'admin'],
    make: (c) => ({ ...get(c, path(c, '/fuzz/plain')), raw: true }),
  },
  {
    name: 'while the upstream waits',
    listeners: ['proxy'],
    make: (c) => ({ ...get(c, '/fuzz/slow'), waits: true }),
  },
  {
    name: 'while the answer streams back',
    listeners: ['proxy'],
    make: (c) => ({ ...get(c, '/fuzz/stream'), waits: true }),
  },
  {
    name: 'while the proxy waits for Cognito',
    listeners: ['proxy'],
    perClientOnly: true,
    make: (c) => ({
      ...get({ ...c, authorization: c.freshLogin?.() }, '/fuzz/login'),
      waits: true,
    }),
  },
];
