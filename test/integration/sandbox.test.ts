import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { access, readFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { fileURLToPath } from 'node:url';
import { cliBin, runCli } from '../support/cli.js';
import { eventually } from '../support/eventually.js';
import { call } from '../support/http.js';
import { httpsCall } from '../support/tlsClient.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));

function refusesConnections(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect(Number(port), hostname);
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(true));
  });
}

describe('the front door: npm run sandbox', function () {
  this.timeout(120_000);

  it('starts, serves the printed GET and POST with verified signatures, and stops clean', async function () {
    const child = spawn(
      'npm',
      ['run', 'sandbox', '--silent', '--', '--port', '0', '--admin-port', '0'],
      {
        cwd: root,
        env: { ...process.env },
        stdio: ['ignore', 'pipe', 'pipe'],
        // Its own process group, so Ctrl-C can be sent the way a terminal sends it: to the group.
        detached: true,
      },
    );
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    // 'close' waits for every process holding the output pipes (npm and the sandbox under it).
    const exited = new Promise<void>((resolve) => child.once('close', () => resolve()));
    try {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`not ready in time:\n${output}`)), 90_000);
        const check = setInterval(() => {
          if (output.includes('Press Ctrl-C')) {
            clearInterval(check);
            clearTimeout(timer);
            resolve();
          }
        }, 100);
        void exited.then(() => {
          clearInterval(check);
          clearTimeout(timer);
          reject(new Error(`the sandbox exited:\n${output}`));
        });
      });

      const get = /curl '?(http:\/\/127\.0\.0\.1:\d+)(\/tasks\?limit=10)/.exec(output);
      const post =
        /curl -X POST -H 'Content-Type: application\/json' -d '([^']+)' (http:\/\/127\.0\.0\.1:\d+)(\/tasks)/.exec(
          output,
        );
      const dataDir = /data in (\S+)/.exec(output)?.[1];
      const urls = [...output.matchAll(/(http:\/\/127\.0\.0\.1:\d+)/g)].map((m) => m[1] as string);
      expect(get && post && dataDir, output).to.not.equal(null);
      if (!get?.[1] || !post?.[1] || !post[2] || !dataDir) throw new Error(output);

      const got = await call(get[1], { path: get[2] });
      expect(got.status, got.body.toString()).to.equal(200);
      expect(got.json()).to.include({
        verified: true,
        auth: 'sigv4',
        method: 'GET',
        url: '/v1/tasks?limit=10',
      });
      const posted = await call(post[2], {
        method: 'POST',
        path: post[3],
        headers: { 'content-type': 'application/json' },
        body: post[1],
      });
      expect(posted.status).to.equal(200);
      expect(posted.json()).to.include({
        verified: true,
        method: 'POST',
        bodyBytes: post[1].length,
      });
      // The printed settings aim the CLI at the same pools and endpoints as the proxy (the user
      // pool's is the relay named in the progress lines, not cognito-local itself).
      const exported = /^ {2}export (.+)$/m.exec(output)?.[1] ?? '';
      const settings = Object.fromEntries(
        exported.split(' ').map((pair) => pair.split(/=(.*)/s).slice(0, 2) as [string, string]),
      );
      const relay = /user pool endpoint (\S+) \(SCRIBE_COGNITO_ENDPOINT\)/.exec(output)?.[1];
      expect(settings['SCRIBE_COGNITO_ENDPOINT'], output).to.equal(relay);
      const user = /user: +(\S+)\n +password: +(\S+)/.exec(output);
      const credentials = await runCli(['credentials'], {
        ...settings,
        SCRIBE_USERNAME: user?.[1] ?? '',
        SCRIBE_PASSWORD: user?.[2] ?? '',
      });
      expect(credentials.code, credentials.stderr).to.equal(0);
      expect(JSON.parse(credentials.stdout)).to.have.property('accessKeyId');

      // At the default level the sandbox shows one JSON line per request, as docs/proxy.md says.
      // It comes through npm's pipe soon after the answer, not at a known moment.
      const posting = /"level":"info"[^\n]*"method":"POST"[^\n]*"msg":"request"/;
      await eventually(() => posting.test(output), 10_000);
      expect(output).to.match(posting);

      process.kill(-(child.pid as number), 'SIGINT');
      await exited;
      expect(output, output).to.include('Sandbox stopped; its data is removed.');
      await access(dataDir).then(
        () => expect.fail(`${dataDir} is still there`),
        (err: NodeJS.ErrnoException) => expect(err.code).to.equal('ENOENT'),
      );
      for (const url of new Set(urls)) {
        expect(await refusesConnections(url), `${url} still answers`).to.equal(true);
      }
    } finally {
      // A failed check leaves no sandbox (npm and the node under it) running into later tests.
      try {
        process.kill(-(child.pid as number), 'SIGKILL');
      } catch {
        // already gone
      }
    }
  });

  it('with --tls, serves HTTPS from a throwaway CA whose curl commands work, and removes it', async function () {
    const child = spawn(
      process.execPath,
      [cliBin, 'sandbox', '--tls', '--port', '0', '--admin-port', '0'],
      { cwd: root, env: { ...process.env }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    const exited = new Promise<void>((resolve) => child.once('close', () => resolve()));
    try {
      const deadline = Date.now() + 90_000;
      while (!output.includes('Press Ctrl-C') && Date.now() < deadline && child.exitCode === null) {
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      const get = /curl --cacert (\S+) '?(https:\/\/127\.0\.0\.1:\d+)(\/tasks\?limit=10)/.exec(
        output,
      );
      const ready = /curl --cacert (\S+) (https:\/\/127\.0\.0\.1:\d+)\/readyz/.exec(output);
      if (!get?.[1] || !get[2] || !ready?.[2])
        throw new Error(`no curl --cacert printed:\n${output}`);
      const ca = await readFile(get[1], 'utf8');
      const got = await httpsCall(get[2], { path: get[3], ca });
      expect(got.status, got.body.toString()).to.equal(200);
      expect(got.json()).to.include({ verified: true, url: '/v1/tasks?limit=10' });
      const readiness = await httpsCall(ready[2], { path: '/readyz', ca });
      expect(readiness.json()).to.deep.equal({ state: 'ready' });

      child.kill('SIGINT');
      await exited;
      expect(output).to.include('Sandbox stopped; its data is removed.');
      await access(get[1]).then(
        () => expect.fail(`${get[1]} is still there`),
        (err: NodeJS.ErrnoException) => expect(err.code).to.equal('ENOENT'),
      );
    } finally {
      child.kill('SIGKILL');
    }
  });
});
