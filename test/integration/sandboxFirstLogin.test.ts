import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { sandboxBanner } from '../../src/cli/commands/sandboxBanner.js';
import { startProcess, type StartedProcess } from '../support/childProcess.js';
import { call } from '../support/http.js';
import { startSandbox, type Sandbox } from '../support/sandbox.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const run = promisify(execFile);

describe("the sandbox's first-login story: --temporary-password, login --session-file, serve", function () {
  this.timeout(120_000);
  let sandbox: Sandbox;
  let dir: string;
  let serve: StartedProcess | undefined;

  before(async function () {
    sandbox = await startSandbox({
      host: '127.0.0.1',
      port: 0,
      adminPort: 0,
      mode: 'sigv4',
      sessions: 'shared',
      temporaryPassword: true,
      logLevel: 'silent',
      progress: () => undefined,
    });
    dir = await mkdtemp(join(tmpdir(), 'scribe-first-login-'));
  });

  after(async function () {
    await serve?.stop();
    await sandbox?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('the printed commands log in, write the session file, and a proxy started from it serves signed requests', async function () {
    const banner = sandboxBanner(sandbox, { seconds: 1, mode: 'sigv4', firstLogin: true })
      .split('\n')
      .map((l) => l.trim());
    const exported = banner.find((l) => l.startsWith('export ')) as string;
    const login = banner.find((l) => l.includes(' login --username ')) as string;
    // The serve line, less its trailing comment (a shell would drop it too).
    const start = banner
      .find((l) => /main\.js serve(\s+#.*)?$/.test(l))
      ?.replace(/\s+#.*$/, '') as string;
    expect(exported && login && start, banner.join('\n')).to.be.a('string');

    // What a person types at the prompts: the temporary password, then a new one.
    const newPassword = 'Sandbox-Chosen-Passw0rd!';
    // Run from a scratch directory, so the session file lands there and not in the checkout.
    const here = (line: string) => line.replace('node dist/', `node ${root}dist/`);
    await run('sh', ['-c', `${exported}\n${here(login)}`], {
      cwd: dir,
      env: {
        PATH: process.env['PATH'] ?? '',
        SCRIBE_PASSWORD: sandbox.password,
        SCRIBE_NEW_PASSWORD: newPassword,
      },
    }).catch((err: { stderr?: string }) => {
      throw new Error(`login failed: ${err.stderr ?? String(err)}`);
    });

    // The serve line as printed (free ports), from the directory holding the session file.
    const script = `${exported}\n${here(start).replace(' node ', ' exec node ')}`;
    serve = await startProcess('sh', ['-c', script], {
      cwd: dir,
      env: { PATH: process.env['PATH'] ?? '' },
      ready: /"event":"listening".*"proxy":"(http:[^"]+)"/,
      name: 'serve from the session file',
    });
    const admin = /"admin":"(http:[^"]+)"/.exec(serve.output())?.[1] as string;
    let state = '';
    for (let i = 0; i < 100 && state !== 'ready' && state !== 'needs-login'; i++) {
      const ready = await call(admin, { path: '/readyz' });
      state = (ready.json() as { state: string }).state;
      if (state !== 'ready') await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(state, serve.output()).to.equal('ready');
    const got = await call(serve.url, { path: '/tasks' });
    expect(got.status).to.equal(200);
    expect(got.json()).to.include({ verified: true, url: '/v1/tasks' });
  });
});
