import { expect } from 'chai';
import { createServer, type Server } from 'node:net';
import { type AddressInfo } from 'node:net';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { cliBin, runCli } from '../support/cli.js';
import { startProcess, type StartedProcess } from '../support/childProcess.js';
import { World } from '../support/world.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));

describe('serve: the start-up line, LOG_FORMAT and a busy port', function () {
  this.timeout(60_000);
  let world: World;
  let env: Record<string, string>;
  let version: string;
  const started: StartedProcess[] = [];

  before(async function () {
    world = await World.start();
    version = (JSON.parse(await readFile(`${root}package.json`, 'utf8')) as { version: string })
      .version;
    env = {
      PATH: process.env['PATH'] ?? '',
      SCRIBE_API_URL: `${world.upstream.url}/v1`,
      ...world.account(),
      PROXY_PORT: '0',
      ADMIN_PORT: '0',
    };
  });

  after(async function () {
    for (const p of started) await p.stop();
    await world?.stop();
  });

  it('says the version, mode, sessions, the full upstream URL and both listeners', async function () {
    const serve = await startProcess(process.execPath, [cliBin, 'serve'], {
      env,
      ready: /"event":"listening".*"proxy":"(http:[^"]+)"/,
      name: 'serve',
    });
    started.push(serve);
    const line = serve
      .output()
      .split('\n')
      .find((l) => l.includes('"event":"listening"')) as string;
    const record = JSON.parse(line) as Record<string, string>;
    expect(record).to.include({
      version,
      mode: 'sigv4',
      sessions: 'shared',
      upstream: `${world.upstream.url}/v1`,
    });
    expect(record['proxy']).to.match(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(record['admin']).to.match(/^http:\/\/127\.0\.0\.1:\d+$/);
    // The message says it all too, for whoever reads the line rather than parses it.
    for (const part of [version, record['proxy'], record['admin'], `${world.upstream.url}/v1`]) {
      expect(record['msg']).to.include(part);
    }
  });

  it('LOG_FORMAT=pretty writes human-readable lines, secrets still censored', async function () {
    const serve = await startProcess(process.execPath, [cliBin, 'serve'], {
      env: { ...env, LOG_FORMAT: 'pretty' },
      ready: /listening on (http:\/\/127\.0\.0\.1:\d+)/,
      name: 'serve (pretty)',
    });
    started.push(serve);
    const out = serve.output();
    expect(out).to.match(/INFO.*scribe-proxy \S+ listening on http:\/\/127\.0\.0\.1:\d+/);
    expect(out.split('\n')[0]?.trim().startsWith('{')).to.equal(false);
    expect(out).not.to.include(world.password);
  });

  it('a port already in use names the setting that moves it (exit 1, no hang)', async function () {
    const holder: Server = createServer();
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
    const port = (holder.address() as AddressInfo).port;
    try {
      const proxyBusy = await runCli(['serve'], { ...env, PROXY_PORT: String(port) });
      expect(proxyBusy.code).to.equal(1);
      expect(proxyBusy.stderr).to.include(`127.0.0.1:${port} is already in use (PROXY_PORT)`);
      const adminBusy = await runCli(['serve'], { ...env, ADMIN_PORT: String(port) });
      expect(adminBusy.code).to.equal(1);
      expect(adminBusy.stderr).to.include('(ADMIN_PORT)');
    } finally {
      holder.close();
    }
  });
});
