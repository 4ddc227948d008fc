import { expect } from 'chai';
import { execFileSync, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer as createHttpServer } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { shippedBin } from '../support/cli.js';
import { ForwardProxy } from '../support/forwardProxy.js';
import { call } from '../support/http.js';
import { World } from '../support/world.js';

describe('faults: a network where every outbound call must go through an egress proxy', function () {
  this.timeout(60_000);
  let world: World;
  let egress: ForwardProxy;

  before(async function () {
    world = await World.start();
    egress = await new ForwardProxy().start();
  });
  after(async function () {
    await egress?.stop();
    await world?.stop();
  });

  /**
   * `scribe-proxy serve` in a child process with `env` over the world's: nock, loaded in this
   * process by other suites, intercepts http.request and would get in the proxy agents' way.
   */
  async function serve(env: Record<string, string | undefined>) {
    // The command as shipped: the bundle loads undici's proxy agent apart, only for HTTPS_PROXY.
    const child = spawn(process.execPath, [shippedBin, 'serve'], {
      env: {
        ...world.env({ PROXY_PORT: '0', ADMIN_PORT: '0' }),
        PATH: process.env['PATH'] ?? '',
        ...env,
      } as NodeJS.ProcessEnv,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (out += c.toString()));
    const stop = async () => {
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
    };
    const deadline = Date.now() + 15_000;
    let proxyUrl: string | undefined;
    while (!(proxyUrl && out.includes('"event":"session"')) && Date.now() < deadline) {
      proxyUrl = /"proxy":"(http:\/\/[^"]+)"/.exec(out)?.[1];
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    if (!proxyUrl) {
      await stop();
      throw new Error(out);
    }
    return { proxyUrl, output: () => out, stop };
  }

  it('Cognito, Cognito Identity and the upstream are all reached through HTTP_PROXY (absolute-form)', async function () {
    egress.calls.length = 0;
    const proxy = await serve({ HTTP_PROXY: egress.url });
    try {
      const answer = await call(proxy.proxyUrl, { path: '/through-the-proxy' });
      expect(answer.status, proxy.output()).to.equal(200);
      const targets = egress.calls.map((c) => c.target);
      expect(targets.some((t) => t.startsWith(world.cognito.endpoint))).to.equal(true);
      expect(targets.some((t) => t.startsWith(world.emulator.endpoint))).to.equal(true);
      expect(targets).to.include(`${world.upstream.url}/v1/through-the-proxy`);
      expect(egress.calls.every((c) => c.kind === 'absolute-form')).to.equal(true);
    } finally {
      await proxy.stop();
    }
  });

  it('NO_PROXY exempts the hosts it lists (loopback here), and nothing goes through the proxy', async function () {
    egress.calls.length = 0;
    const proxy = await serve({ HTTP_PROXY: egress.url, NO_PROXY: '127.0.0.1' });
    try {
      expect((await call(proxy.proxyUrl, { path: '/direct' })).status).to.equal(200);
      expect(egress.calls).to.deep.equal([]);
    } finally {
      await proxy.stop();
    }
  });

  it('a client target that looks like another host (//host, /\\host, dot segments) still reaches only the configured upstream, byte-exact', async function () {
    // The attacker's collector: a second local server that must never see a request.
    const stolen: string[] = [];
    const collector = createHttpServer((req, res) => {
      stolen.push(`${req.method} ${req.url} ${String(req.headers.authorization)}`);
      res.end('collected');
    });
    await new Promise<void>((resolve) => collector.listen(0, '127.0.0.1', resolve));
    const attacker = `127.0.0.1:${(collector.address() as AddressInfo).port}`;
    // No base path: the client's path is the whole upstream path.
    const proxy = await serve({ HTTP_PROXY: egress.url, SCRIBE_API_URL: world.upstream.url });
    try {
      for (const path of [
        `//${attacker}/collect`,
        `/\\${attacker}/collect`,
        `/\\/${attacker}/collect?q=1`,
        '/a/%2e%2e/b/./c',
      ]) {
        egress.calls.length = 0;
        world.upstream.arrivals.length = 0;
        const answer = await call(proxy.proxyUrl, { path });
        expect(world.upstream.arrivals.map((a) => a.url)).to.deep.equal([path]);
        // The verifier (aws4) and the signer read a raw backslash differently; a signature
        // refusal still proves the request reached the configured upstream.
        if (!path.includes('\\')) expect(answer.status, answer.body.toString()).to.equal(200);
        expect(egress.calls.map((c) => c.target)).to.deep.equal([`${world.upstream.url}${path}`]);
        expect(world.upstream.arrivals.map((a) => a.url)).to.deep.equal([path]);
      }
      expect(stolen).to.deep.equal([]);
    } finally {
      await proxy.stop();
      await new Promise<void>((resolve) => collector.close(() => resolve()));
    }
  });

  describe('an https upstream', function () {
    let dir: string;
    let https: Server;
    let httpsUrl: string;
    const seen: string[] = [];

    before(async function () {
      dir = await mkdtemp(join(tmpdir(), 'scribe-egress-'));
      execFileSync(
        'openssl',
        [
          'req',
          '-x509',
          '-newkey',
          'rsa:2048',
          '-nodes',
          '-days',
          '1',
          '-subj',
          '/CN=localhost',
          '-addext',
          'subjectAltName=DNS:localhost',
          '-keyout',
          join(dir, 'key.pem'),
          '-out',
          join(dir, 'cert.pem'),
        ],
        { stdio: 'ignore' },
      );
      https = createServer(
        { key: await readFile(join(dir, 'key.pem')), cert: await readFile(join(dir, 'cert.pem')) },
        (req, res) => {
          seen.push(
            `${req.method} ${req.url} signed=${String(req.headers.authorization).startsWith('AWS4-HMAC-SHA256')}`,
          );
          res.end('tls ok');
        },
      );
      // A host name, as real upstreams have (the certificate names it); loopback only.
      await new Promise<void>((resolve) => https.listen(0, 'localhost', resolve));
      httpsUrl = `https://localhost:${(https.address() as AddressInfo).port}`;
    });
    after(async function () {
      https?.closeAllConnections();
      await new Promise<void>((resolve) => https?.close(() => resolve()) ?? resolve());
      if (dir) await rm(dir, { recursive: true, force: true });
    });

    it('is reached through HTTPS_PROXY with CONNECT', async function () {
      egress.calls.length = 0;
      const proxy = await serve({
        SCRIBE_API_URL: `${httpsUrl}/v1`,
        HTTPS_PROXY: egress.url,
        HTTP_PROXY: egress.url,
        NODE_EXTRA_CA_CERTS: join(dir, 'cert.pem'),
      });
      try {
        const answer = await call(proxy.proxyUrl, { path: '/over-tls' });
        expect(answer.status, proxy.output()).to.equal(200);
        expect(answer.body.toString()).to.equal('tls ok');
        expect(seen).to.include('GET /v1/over-tls signed=true');
        expect(egress.calls).to.deep.include({ kind: 'connect', target: new URL(httpsUrl).host });
      } finally {
        await proxy.stop();
      }
    });

    it('HTTPS_PROXY with a user name alone (a token): the CONNECT carries it as Proxy-Authorization', async function () {
      egress.calls.length = 0;
      const proxy = await serve({
        SCRIBE_API_URL: `${httpsUrl}/v1`,
        HTTPS_PROXY: egress.url.replace('http://', 'http://tok3n@'),
        HTTP_PROXY: egress.url,
        NODE_EXTRA_CA_CERTS: join(dir, 'cert.pem'),
      });
      try {
        const answer = await call(proxy.proxyUrl, { path: '/with-token' });
        expect(answer.status, proxy.output()).to.equal(200);
        expect(egress.calls).to.deep.include({
          kind: 'connect',
          target: new URL(httpsUrl).host,
          authorization: `Basic ${Buffer.from('tok3n:').toString('base64')}`,
        });
      } finally {
        await proxy.stop();
      }
    });
  });
});
