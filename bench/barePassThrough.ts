import { Agent, request, type IncomingMessage, type ServerResponse } from 'node:http';

/**
 * The floor under any Node proxy: node:http in, a keep-alive http.request out, nothing else (no
 * signature, no header hygiene, no timeouts, no log). Whatever scribe-proxy spends above this is
 * its own work; what this spends is Node's HTTP machinery and the kernel.
 */
export function barePassThrough(
  upstreamUrl: string,
): (req: IncomingMessage, res: ServerResponse) => void {
  const url = new URL(upstreamUrl);
  const agent = new Agent({ keepAlive: true, maxSockets: 256, maxFreeSockets: 256 });
  return (req, res) => {
    const out = request(
      {
        hostname: url.hostname,
        port: url.port,
        method: req.method,
        path: `${url.pathname}${req.url ?? '/'}`,
        headers: req.headers,
        agent,
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.rawHeaders);
        answer.pipe(res);
      },
    );
    out.on('error', () => res.destroy());
    req.pipe(out);
  };
}
