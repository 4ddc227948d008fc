import { createServer, type Server, type Socket } from 'node:net';

/**
 * The benchmark's upstream: HTTP/1.1 on a bare TCP server, cheaper per request than Node's http
 * server, so that wrk and it, sharing one CPU, serve several times what any proxy can ("direct"
 * must be 3× the fastest proxy for a run to count). It reads what every client here sends
 * (requests with a Content-Length or no body, one at a time or pipelined) and answers
 * `{"ok":true,"bytes":N}`; `/v1/stream` answers 5 chunks 400 ms apart (time to first byte). A
 * chunked request body is not read: the benchmark's clients never send one.
 */
export function createFastUpstream(): Server {
  return createServer((socket) => serve(socket));
}

const empty = Buffer.alloc(0);
const headerEnd = Buffer.from('\r\n\r\n');

function reply(bytes: number): string {
  const body = `{"ok":true,"bytes":${bytes}}`;
  return `HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: ${body.length}\r\nkeep-alive: timeout=60\r\n\r\n${body}`;
}
const replyNoBody = reply(0);

function stream(socket: Socket): void {
  socket.write('HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\ntransfer-encoding: chunked\r\n\r\n');
  let sent = 0;
  const tick = () => {
    const chunk = `chunk ${sent}\n`;
    socket.write(`${chunk.length.toString(16)}\r\n${chunk}\r\n`);
    if (++sent === 5) socket.write('0\r\n\r\n');
    else setTimeout(tick, 400);
  };
  tick();
}

function serve(socket: Socket): void {
  let pending: Buffer = empty;
  let bodyLeft = 0;
  let bodyBytes = 0;
  socket.on('error', () => socket.destroy());
  socket.on('data', (chunk: Buffer) => {
    const data = pending.length > 0 ? Buffer.concat([pending, chunk]) : chunk;
    let offset = 0;
    let out = '';
    for (;;) {
      if (bodyLeft > 0) {
        const take = Math.min(bodyLeft, data.length - offset);
        bodyLeft -= take;
        offset += take;
        if (bodyLeft > 0) break;
        out += reply(bodyBytes);
        continue;
      }
      const end = data.indexOf(headerEnd, offset);
      if (end === -1) break;
      const head = data.toString('latin1', offset, end);
      offset = end + 4;
      if (head.includes(' /v1/stream')) {
        stream(socket);
        continue;
      }
      const length = /\r\ncontent-length:[ \t]*(\d+)/i.exec(head)?.[1];
      if (length === undefined || length === '0') {
        out += replyNoBody;
        continue;
      }
      bodyLeft = bodyBytes = Number(length);
    }
    pending = offset < data.length ? data.subarray(offset) : empty;
    if (out) socket.write(out);
  });
}
