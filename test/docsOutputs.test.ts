import { expect } from 'chai';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createTestCa, type Issued } from './support/certificates.js';
import { cliBin, runCli, type CliRun } from './support/cli.js';
import { startProcess } from './support/childProcess.js';
import { eventually } from './support/eventually.js';
import {
  fencedBlocks,
  looksLikeOutput,
  quoteIsIn,
  type FencedBlock,
} from './support/quotedOutput.js';
import { World } from './support/world.js';

const root = fileURLToPath(new URL('../../', import.meta.url));

/** What the scenarios run against: the test peers, a folder to run in, certificates. */
interface Peers {
  world: World;
  /** An empty working directory: no .env but the one a scenario writes. */
  dir: string;
  pair: Issued;
  other: Issued;
}

/**
 * How to produce a quoted output: `how` says it in words (printed when the quote differs), `run`
 * does it and returns the output as documented (ports, user names and the like as the docs write
 * them; anything else that varies is a `<placeholder>` in the doc).
 */
interface Scenario {
  how: string;
  run: (peers: Peers) => Promise<string>;
}

/** Settings the configuration accepts, with Scribe-looking pool ids (no call is made). */
const examplePools = {
  SCRIBE_CLIENT_ID: '1example23456789abcdefghij',
  SCRIBE_USER_POOL_ID: 'eu-west-2_AbCdEf123',
  SCRIBE_IDENTITY_POOL_ID: 'eu-west-2:11111111-2222-3333-4444-555555555555',
  SCRIBE_USERNAME: 'me@example.com',
  SCRIBE_PASSWORD: 'my-Passw0rd!',
};

/** stdout, then stderr. */
const printed = (run: CliRun) => `${run.stdout}${run.stderr}`;

/** The listeners' free ports as the docs write them: 8080 for the proxy, 8081 for admin. */
function documentedPorts(output: string): string {
  const listening = /"event":"listening"[^\n]*?"proxy":"([^"]+)","admin":"([^"]+)"/.exec(output);
  if (!listening) return output;
  const [, proxy, admin] = listening as unknown as [string, string, string];
  return output
    .replaceAll(proxy, proxy.replace(/:\d+$/, ':8080'))
    .replaceAll(admin, admin.replace(/:\d+$/, ':8081'));
}

/** `scribe-proxy serve` until it listens (and `then`, if given), its output. */
async function serve(
  peers: Peers,
  env: Record<string, string>,
  then?: (output: () => string) => Promise<void>,
): Promise<string> {
  const served = await startProcess(process.execPath, [cliBin, 'serve'], {
    env: { PATH: process.env['PATH'] ?? '', PROXY_PORT: '0', ADMIN_PORT: '0', ...env },
    cwd: peers.dir,
    name: 'serve',
    ready: /"event":"listening"[^\n]*"proxy":"(https?:[^"]+)"/,
  });
  try {
    await then?.(served.output);
  } finally {
    await served.stop();
  }
  return documentedPorts(served.output());
}

/** Every scenario a doc block may name in `<!-- output: NAME -->`. */
const scenarios: Record<string, Scenario> = {
  'config-problems': {
    how: 'scribe-proxy serve with SCRIBE_REGION=london, the pool ids, a username and password, no SCRIBE_CLIENT_ID',
    run: async ({ dir }) => {
      const { SCRIBE_CLIENT_ID: _, ...env } = examplePools;
      return printed(await runCli(['serve'], { ...env, SCRIBE_REGION: 'london' }, dir));
    },
  },
  'tls-config-problems': {
    how: "scribe-proxy serve with PROXY_TLS_CERT_FILE and another certificate's PROXY_TLS_KEY_FILE, no SCRIBE_CLIENT_ID",
    run: async ({ dir, pair, other }) => {
      const { SCRIBE_CLIENT_ID: _, ...env } = examplePools;
      await writeFile(join(dir, 'tls.crt'), pair.cert);
      await writeFile(join(dir, 'other.key'), other.key);
      const run = await runCli(
        ['serve'],
        {
          ...env,
          PROXY_TLS_CERT_FILE: join(dir, 'tls.crt'),
          PROXY_TLS_KEY_FILE: join(dir, 'other.key'),
        },
        dir,
      );
      return printed(run);
    },
  },
  'misspelled-warnings': {
    how: 'scribe-proxy check with SCRIBE_PASWORD in the environment and PROXY_PROT=8080 in .env',
    run: async ({ dir }) => {
      const here = join(dir, 'misspelled');
      await mkdir(here, { recursive: true });
      await writeFile(join(here, '.env'), 'PROXY_PROT=8080\n');
      return printed(await runCli(['check'], { ...examplePools, SCRIBE_PASWORD: 'x' }, here));
    },
  },
  'misspelled-required': {
    how: 'scribe-proxy check with SCRIBE_CLIENTID (for SCRIBE_CLIENT_ID) in the environment',
    run: async ({ dir }) => {
      const { SCRIBE_CLIENT_ID: id, ...env } = examplePools;
      return printed(await runCli(['check'], { ...env, SCRIBE_CLIENTID: id }, dir));
    },
  },
  'check-endpoint-overrides': {
    how: 'scribe-proxy check with SCRIBE_COGNITO_ENDPOINT=http://localhost:9229',
    run: async ({ dir }) => {
      const env = { ...examplePools, SCRIBE_COGNITO_ENDPOINT: 'http://localhost:9229' };
      return printed(await runCli(['check'], env, dir));
    },
  },
  'check-online-wrong-identity-pool': {
    how: "scribe-proxy check --online against the test peers, with an identity pool id they don't have (user shown as me@example.com)",
    run: async ({ world, dir }) => {
      const run = await runCli(
        ['check', '--online'],
        {
          ...world.account(),
          SCRIBE_IDENTITY_POOL_ID: 'eu-west-2:00000000-0000-0000-0000-000000000000',
        },
        dir,
      );
      return printed(run).replaceAll(world.username, 'me@example.com');
    },
  },
  'serve-start': {
    how: 'scribe-proxy serve against the test peers, SCRIBE_API_URL left at its default (listener ports shown as 8080 and 8081)',
    run: (peers) => serve(peers, peers.world.account()),
  },
  'serve-tls-key-replaced': {
    how: "scribe-proxy serve with PROXY_TLS_CERT_FILE and PROXY_TLS_KEY_FILE, then the key file overwritten with another certificate's key",
    run: async (peers) => {
      const tls = join(peers.dir, 'tls');
      await mkdir(tls, { recursive: true });
      await writeFile(join(tls, 'tls.crt'), peers.pair.cert);
      await writeFile(join(tls, 'tls.key'), peers.pair.key);
      const env = {
        ...peers.world.account(),
        PROXY_TLS_CERT_FILE: join(tls, 'tls.crt'),
        PROXY_TLS_KEY_FILE: join(tls, 'tls.key'),
      };
      return serve(peers, env, async (output) => {
        await writeFile(join(tls, 'tls.key'), peers.other.key);
        await eventually(() => output().includes('"event":"tls_reload_failed"'), 10_000);
      });
    },
  },
};

/** The README and every page of docs/. */
async function documentedBlocks(): Promise<FencedBlock[]> {
  const pages = [
    'README.md',
    ...(await readdir(`${root}docs`)).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`),
  ];
  const blocks = await Promise.all(
    pages.map(async (page) => fencedBlocks(page, await readFile(`${root}${page}`, 'utf8'))),
  );
  return blocks.flat();
}

const where = (block: FencedBlock) => `${block.page}:${block.line}`;

describe('every output the README and docs/ quote is what the program prints now', function () {
  this.timeout(120_000);
  let quotes: FencedBlock[];
  let peers: Peers;

  before(async function () {
    quotes = (await documentedBlocks()).filter((b) => b.scenarios !== null || looksLikeOutput(b));
    const ca = await createTestCa();
    const [world, dir, pair, other] = await Promise.all([
      World.start(),
      mkdtemp(join(tmpdir(), 'scribe-doc-outputs-')),
      ca.server(),
      ca.server(),
    ]);
    peers = { world, dir, pair, other };
  });

  after(async function () {
    await peers?.world.stop();
    if (peers?.dir) await rm(peers.dir, { recursive: true, force: true });
  });

  it('marks each quoted output with the scenario that produces it, and every scenario is quoted', function () {
    const unmarked = quotes
      .filter((b) => b.scenarios === null)
      .map(
        (b) =>
          `${where(b)} looks like program output but has no <!-- output: NAME --> line above it: add a scenario that produces it to test/docsOutputs.test.ts and name it there`,
      );
    const unknown = quotes.flatMap((b) =>
      (b.scenarios ?? [])
        .filter((name) => !scenarios[name])
        .map(
          (name) =>
            `${where(b)} names the scenario '${name}', which test/docsOutputs.test.ts does not have`,
        ),
    );
    const named = new Set(quotes.flatMap((b) => b.scenarios ?? []));
    const unquoted = Object.keys(scenarios)
      .filter((name) => !named.has(name))
      .map((name) => `the scenario '${name}' is quoted by no doc block: remove it`);
    expect([...unmarked, ...unknown, ...unquoted]).to.deep.equal([]);
    expect(quotes.length).to.be.greaterThan(5);
  });

  it('finds each quote in what its scenarios print (placeholders such as <version> stand for what varies)', async function () {
    const names = [...new Set(quotes.flatMap((b) => b.scenarios ?? []))].filter(
      (name) => scenarios[name],
    );
    const outputs = new Map(
      await Promise.all(
        names.map(async (name) => [name, await (scenarios[name] as Scenario).run(peers)] as const),
      ),
    );
    const differing = quotes
      .filter((b) => b.scenarios !== null && b.scenarios.every((name) => outputs.has(name)))
      .flatMap((block) => {
        const names = block.scenarios ?? [];
        const output = names.map((name) => outputs.get(name) as string).join('');
        if (quoteIsIn(block, output)) return [];
        return [
          [
            `${where(block)} (<!-- output: ${names.join('; ')} -->) is not what the program prints now.`,
            `The block${block.lang === 'json' ? ' (one log record, some fields left out)' : ' (consecutive lines of the output)'}:`,
            block.text,
            ...names.map(
              (name) => `The output of '${name}': ${(scenarios[name] as Scenario).how}:`,
            ),
            output,
            'Refresh the block from this output (keep <placeholders> for what varies), or fix the program.',
          ].join('\n'),
        ];
      });
    if (differing.length > 0) expect.fail(`\n${differing.join('\n\n')}`);
  });
});

describe('a quoted output', function () {
  const block = (lang: string, text: string): FencedBlock => ({
    page: 'x.md',
    line: 1,
    lang,
    text,
    scenarios: ['s'],
  });
  const output = 'The configuration is valid:\n  region: eu-west-2\nscribe-proxy: took 12 ms\n';

  it('is found as consecutive lines, a placeholder standing for what varies', function () {
    expect(quoteIsIn(block('text', '  region: eu-west-2\nscribe-proxy: took <ms> ms'), output)).to
      .be.true;
    expect(
      quoteIsIn(block('text', 'The configuration is valid:\nscribe-proxy: took <ms> ms'), output),
    ).to.be.false;
    expect(quoteIsIn(block('text', 'scribe-proxy: took 13 ms'), output)).to.be.false;
  });

  it('in json is one record with every quoted field, equal', function () {
    const log =
      '{"level":"info","time":"t","event":"listening","tls":{"proxy":true,"admin":false}}';
    expect(quoteIsIn(block('json', '{ "event": "listening", "tls": { "proxy": true } }'), log)).to
      .be.true;
    expect(quoteIsIn(block('json', '{ "event": "listening", "tls": { "proxy": false } }'), log)).to
      .be.false;
    expect(quoteIsIn(block('json', '{ "event": "listening", "port": 8080 }'), log)).to.be.false;
  });
});
