import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { cp, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { satisfies } from 'semver';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../../', import.meta.url));
const npm = (args: string[], cwd: string) =>
  run('npm', [...args, '--no-audit', '--no-fund', '--loglevel=error'], {
    cwd,
    maxBuffer: 16 * 1024 * 1024,
    env: { ...process.env, npm_config_update_notifier: 'false' },
  });

describe('the npm package', function () {
  this.timeout(240_000);
  let work: string;
  let tarball: string;
  let prefix: string;

  before(async function () {
    work = await mkdtemp(join(tmpdir(), 'scribe-pack-'));
    // A clean checkout's files, without dist: `npm pack` must build what it ships (the `prepare` script, which also builds a checkout on `npm install`).
    const source = join(work, 'source');
    await mkdir(source);
    for (const entry of [
      'package.json',
      'package-lock.json',
      'tsconfig.json',
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
      'src/index.ts',
    ]);
    expect(
      files.filter((f) => f.startsWith('dist/test') || f.startsWith('test/') || f.includes('.env')),
    ).to.deep.equal([]);
    prefix = join(work, 'consumer');
    await mkdir(prefix);
    await writeFile(
      join(prefix, 'package.json'),
      JSON.stringify({ name: 'consumer', private: true, type: 'module' }),
    );
    await npm(['install', '--prefer-offline', '--omit=dev', tarball], prefix);
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
