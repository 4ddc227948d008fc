import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { cp, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { satisfies } from 'semver';
import { startProcess } from './support/childProcess.js';
import { eventually } from './support/eventually.js';
import { ScriptedCognito } from './support/scriptedCognitoServer.js';
import { World } from './support/world.js';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../../', import.meta.url));
const npm = (args: string[], cwd: string) =>
  run('npm', [...args, '--no-audit', '--no-fund', '--loglevel=error'], {
    cwd,
    maxBuffer: 16 * 1024 * 1024,
    env: { ...process.env, npm_config_update_notifier: 'false' },
  });

interface LibrarySetup {
  /** The shell commands that make the project, one a line. */
  commands: string[];
  tsconfig: string;
  script: string;
  /** The command that compiles and runs the script. */
  run: string;
}

/** The blocks of docs/library.md under `<!-- library setup -->`, in order: sh, json, ts, sh. */
async function librarySetup(): Promise<LibrarySetup> {
  const text = await readFile(join(root, 'docs', 'library.md'), 'utf8');
  const blocks = [...text.matchAll(/<!-- library setup -->\s*```(\w+)\n([\s\S]*?)```/g)].map(
    (m) => ({ lang: m[1] as string, text: m[2] as string }),
  );
  expect(blocks.map((b) => b.lang)).to.deep.equal(['sh', 'json', 'ts', 'sh']);
  const lines = (i: number) =>
    (blocks[i]?.text ?? '')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith('#'));
  return {
    commands: lines(0),
    tsconfig: blocks[1]?.text ?? '',
    script: blocks[2]?.text ?? '',
    run: lines(3).join('\n'),
  };
}

describe('the npm package', function () {
  this.timeout(240_000);
  let work: string;
  let tarball: string;
  let prefix: string;
  let setup: LibrarySetup;

  before(async function () {
    work = await mkdtemp(join(tmpdir(), 'scribe-pack-'));
    // A clean checkout's files, without dist: `npm pack` must build what it ships (the `prepare` script, which also builds a checkout on `npm install`).
    const source = join(work, 'source');
    await mkdir(source);
    for (const entry of [
      'package.json',
      'package-lock.json',
      'tsconfig.json',
      'scripts',
      'README.md',
      'docs',
      'LICENSE',
      'src',
      'test',
      'bench',
    ]) {
      await cp(join(root, entry), join(source, entry), { recursive: true });
    }
    await symlink(join(root, 'node_modules'), join(source, 'node_modules'), 'dir');
    const packed = await npm(['pack', '--json', '--pack-destination', work], source);
    const [info] = JSON.parse(packed.stdout.slice(packed.stdout.indexOf('['))) as Array<{
      filename: string;
      files: Array<{ path: string }>;
    }>;
    if (!info) throw new Error('npm pack reported nothing');
    tarball = join(work, info.filename);
    const files = info.files.map((f) => f.path);
    expect(files).to.include.members([
      'LICENSE',
      'README.md',
      'docs/configuration.md',
      'package.json',
      'dist/src/index.js',
      'dist/src/index.d.ts',
      'dist/src/cli/main.js',
      'dist/cli/main.js',
      'src/index.ts',
    ]);
    expect(
      files.filter((f) => f.startsWith('dist/test') || f.startsWith('test/') || f.includes('.env')),
    ).to.deep.equal([]);
    // The consumer is the project docs/library.md tells a user to make, made as it says.
    setup = await librarySetup();
    prefix = join(work, 'my-app');
    await mkdir(prefix);
    for (const line of setup.commands) {
      if (line.startsWith('mkdir ')) continue;
      const args = line.replace('/path/to/scribe-proxy/scribe-proxy-<version>.tgz', tarball);
      if (/^npm install --save-dev typescript @types\/node/.test(args)) {
        // The checkout's own, not a download: the suite runs offline.
        await mkdir(join(prefix, 'node_modules', '@types'), { recursive: true });
        await symlink(
          join(root, 'node_modules', '@types', 'node'),
          join(prefix, 'node_modules', '@types', 'node'),
          'dir',
        );
        await symlink(
          join(root, 'node_modules', 'typescript'),
          join(prefix, 'node_modules', 'typescript'),
          'dir',
        );
        // What npm install links: node_modules/.bin/tsc, which npx tsc runs.
        await mkdir(join(prefix, 'node_modules', '.bin'), { recursive: true });
        await symlink('../typescript/bin/tsc', join(prefix, 'node_modules', '.bin', 'tsc'));
        continue;
      }
      const [command, ...rest] = args.split(' ');
      expect(command, line).to.equal('npm');
      await npm([...rest, ...(rest[0] === 'install' ? ['--prefer-offline'] : [])], prefix);
    }
  });
  after(async function () {
    if (work) await rm(work, { recursive: true, force: true });
  });

  it('installs a working scribe-proxy command', async function () {
    const { version } = JSON.parse(await readFile(join(root, 'package.json'), 'utf8')) as {
      version: string;
    };
    const bin = join(prefix, 'node_modules', '.bin', 'scribe-proxy');
    const { stdout } = await run(bin, ['--version']);
    expect(stdout.trim()).to.equal(version);
    // The package ships without the sandbox's test servers, so it does not offer the sandbox.
    const help = await run(bin, ['--help']);
    expect(help.stdout).to.include('serve');
    expect(help.stdout).not.to.match(/^\s+sandbox\s/m);
  });

  it('the installed command serves: it logs in, is ready, and its console and pretty logs load', async function () {
    // The command ships bundled (dist/cli): every chunk serve and the console need must be in the
    // package, and pino-pretty (loaded at run time) among its dependencies.
    const cognito = await new ScriptedCognito().start();
    cognito.addUser('packaged-user', 'Packaged-Passw0rd!');
    const bin = join(prefix, 'node_modules', '.bin', 'scribe-proxy');
    const serve = await startProcess(bin, ['serve'], {
      cwd: prefix,
      env: {
        PATH: process.env['PATH'] ?? '',
        SCRIBE_CLIENT_ID: 'scripted-client',
        SCRIBE_USER_POOL_ID: 'eu-west-2_scripted',
        SCRIBE_IDENTITY_POOL_ID: 'eu-west-2:00000000-0000-0000-0000-000000000000',
        SCRIBE_COGNITO_ENDPOINT: cognito.url,
        SCRIBE_IDENTITY_ENDPOINT: cognito.url,
        SCRIBE_USERNAME: 'packaged-user',
        SCRIBE_PASSWORD: 'Packaged-Passw0rd!',
        ADMIN_TOKEN: 'packaged-admin-token-0123456789abcdef',
        LOG_FORMAT: 'pretty',
        PROXY_PORT: '0',
        ADMIN_PORT: '0',
      },
      ready: /admin on (http:\/\/127\.0\.0\.1:\d+)/,
      name: 'installed serve',
    });
    try {
      const ready = await eventually(
        async () => (await fetch(`${serve.url}/readyz`)).status === 200,
        20_000,
      );
      expect(ready, serve.output()).to.equal(true);
      const signIn = await fetch(`${serve.url}/sign-in`);
      expect(signIn.status).to.equal(200);
      expect(await signIn.text()).to.include('<form');
    } finally {
      await serve.stop();
      await cognito.stop();
    }
  });

  it("docs/library.md's first script compiles in the project it says to make, and runs against the test peers without a warning", async function () {
    await writeFile(join(prefix, 'tsconfig.json'), setup.tsconfig);
    await writeFile(join(prefix, 'index.ts'), setup.script);
    const world = await World.start();
    try {
      const { stdout, stderr } = await run('sh', ['-c', setup.run], {
        cwd: prefix,
        env: {
          PATH: process.env['PATH'] ?? '',
          HOME: process.env['HOME'] ?? prefix,
          npm_config_update_notifier: 'false',
          ...world.account(),
        },
      });
      expect(stdout).to.match(/^AWS credentials until \d{4}-\d\d-\d\dT/);
      expect(stderr).to.equal('');
    } finally {
      await world.stop();
    }
  });

  it('typechecks a consumer of the library against the shipped types', async function () {
    await writeFile(
      join(prefix, 'index.ts'),
      [
        "import { ScribeAuth, isChallenge, signHttpRequest, UnauthorizedError } from 'scribe-proxy';",
        "const auth = new ScribeAuth({ clientId: 'id', region: 'eu-west-2' });",
        "const result = await auth.getTokens({ username: 'u', password: 'p' });",
        'const token: string = isChallenge(result) ? result.session : result.accessToken;',
        "const headers: Record<string, string> = await signHttpRequest({ method: 'GET', protocol: 'https:', hostname: 'h', path: '/', headers: { host: 'h' } }, { accessKeyId: 'a', secretAccessKey: 's' }, { region: 'eu-west-2', service: 'execute-api' });",
        'const e: Error = new UnauthorizedError(token + Object.keys(headers).length);',
        'auth.destroy();',
        'export { e };',
      ].join('\n'),
    );
    await writeFile(
      join(prefix, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'ES2022',
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          strict: true,
          noEmit: true,
          types: ['node'],
          typeRoots: [join(root, 'node_modules', '@types')],
        },
        files: ['index.ts'],
      }),
    );
    const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
    const result = await run(process.execPath, [tsc, '-p', prefix]).catch(
      (err: { stdout?: string }) => err,
    );
    expect((result as { stdout?: string }).stdout ?? '').to.equal('');
  });
});

describe('the locked dependencies', function () {
  it("every one accepts the Node that runs the suite, so npm install prints no 'unsupported engine'", async function () {
    const lock = JSON.parse(await readFile(join(root, 'package-lock.json'), 'utf8')) as {
      packages: Record<string, { engines?: { node?: string } }>;
    };
    const refusing = Object.entries(lock.packages)
      .filter(([path, p]) => path !== '' && p.engines?.node !== undefined)
      .filter(([, p]) => !satisfies(process.version, p.engines?.node ?? '*'))
      .map(([path, p]) => `${path.replace(/^.*node_modules\//, '')} wants node ${p.engines?.node}`);
    expect(refusing, `on Node ${process.version}`).to.deep.equal([]);
  });
});
