import { expect } from 'chai';
import fc from 'fast-check';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { AbsoluteFormAgent } from '../../src/http/absoluteFormAgent.js';
import { ProxyError } from '../../src/proxy/ProxyError.js';
import { rejectNonOriginForm } from '../../src/proxy/rejectNonOriginForm.js';
import { upstreamTarget } from '../../src/proxy/upstreamTarget.js';
import { fakeContext } from '../support/fakeContext.js';

/** Request targets a hostile client might send: slashes, backslashes, dots, encodings, @ and :. */
const pieces = [
  '/',
  '//',
  '\\',
  '/\\',
  '.',
  '..',
  '%2e',
  '%2F',
  '%5C',
  '%',
  '@',
  ':',
  'x',
  'evil.example',
  '?',
  '&',
  '=',
  '+',
  ';',
  '%00',
  '#',
  '~',
];
const target = fc
  .array(fc.constantFrom(...pieces), { maxLength: 12 })
  .map((parts) => `/${parts.join('')}`);
const anyTarget = fc.oneof(target, fc.string({ maxLength: 40 }));

const configured = [new URL('http://api.internal:8443/v1'), new URL('http://api.internal')];

/** The upstream path the pipeline's first passes make of `url`, or undefined when refused. */
function upstreamPathOf(url: string, apiUrl: URL): string | undefined {
  const { ctx } = fakeContext({ url });
  try {
    void rejectNonOriginForm(ctx);
    void upstreamTarget(apiUrl)(ctx);
  } catch (err) {
    if (err instanceof ProxyError && err.status === 400) return undefined;
    throw err;
  }
  return ctx.canonicalQuery ? `${ctx.upstreamPath}?${ctx.canonicalQuery}` : ctx.upstreamPath;
}

describe('property: whatever target the client sends, the upstream host is the configured one', function () {
  it('the upstream path is the base path + the client path, byte-exact, and resolves against the configured origin only', function () {
    for (const apiUrl of configured) {
      fc.assert(
        fc.property(anyTarget, (url) => {
          const path = upstreamPathOf(url, apiUrl);
          if (path === undefined) return;
          const base = apiUrl.pathname.replace(/\/+$/, '');
          expect(path.startsWith(`${base}/`) || path === base).to.equal(true);
          const clientPath = url.split('?')[0] ?? '';
          expect(path.slice(base.length).split('?')[0]).to.equal(clientPath);
          // What an egress proxy is asked for: origin + path. Parsed as a URL, its host is ours.
          expect(new URL(`${apiUrl.origin}${path}`).host).to.equal(apiUrl.host);
        }),
        { numRuns: 2000 },
      );
    }
  });

  describe('through the absolute-form agent, on the wire', function () {
    let egress: Server;
    let egressPort = 0;
    const asked: string[] = [];
    const sockets = new Set<Socket>();

    before(async function () {
      // A stand-in egress proxy: it records the request line's target and answers 204.
      egress = createServer((req, res) => {
        asked.push(req.url ?? '');
        res.writeHead(204).end();
      });
      egress.on('connection', (socket: Socket) => {
        sockets.add(socket);
        socket.once('close', () => sockets.delete(socket));
      });
      await new Promise<void>((resolve) => egress.listen(0, '127.0.0.1', resolve));
      egressPort = (egress.address() as AddressInfo).port;
    });
    after(async function () {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => egress.close(() => resolve()));
    });

    it('asks the egress proxy for the configured origin + the path, never another host', async function () {
      const apiUrl = new URL('http://api.internal:8443');
      const agent = new AbsoluteFormAgent(new URL(`http://127.0.0.1:${egressPort}`), apiUrl, {
        keepAlive: true,
      });
      try {
        await fc.assert(
          fc.asyncProperty(target, async (url) => {
            const path = upstreamPathOf(url, apiUrl);
            if (path === undefined) return;
            asked.length = 0;
            await new Promise<void>((resolve, reject) => {
              const req = request(
                { host: 'api.internal', port: 8443, path, agent, headers: { host: apiUrl.host } },
                (res) => {
                  res.resume();
                  res.once('end', resolve);
                },
              );
              req.once('error', reject);
              req.end();
            });
            expect(asked).to.deep.equal([`${apiUrl.origin}${path}`]);
            expect(new URL(asked[0] ?? '').host).to.equal(apiUrl.host);
          }),
          { numRuns: 150 },
        );
      } finally {
        agent.destroy();
      }
    });
  });
});
