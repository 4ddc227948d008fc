import { expect } from 'chai';
import { randomInt } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent, request } from 'undici';
import { createTestCa, type Issued, type TestCa } from '../support/certificates.js';
import type { ListenerName } from '../support/fuzzCorpus.js';
import {
  captureClientHello,
  describeCase,
  makeCases,
  playCase,
  type FuzzCase,
} from '../support/fuzzCutter.js';
import { registerSecret } from '../support/secretScan.js';
import {
  scriptedUser,
  startScriptedProxy,
  type ScriptedProxy,
} from '../support/scriptedCognitoProxy.js';

// SOCKET_FUZZ_SEED replays a run (every failure names its seed); SOCKET_FUZZ_CASES sets how many
// cases each of the four modes plays.
const seed = Number(process.env['SOCKET_FUZZ_SEED'] ?? randomInt(2 ** 31));
const perMode = Number(process.env['SOCKET_FUZZ_CASES'] ?? 700);
const parallel = 12;
const adminToken = 'fuzz-admin-token-0123456789abcdef';
const basic = (name: string, password: string) =>
  `Basic ${Buffer.from(`${name}:${password}`).toString('base64')}`;
/** What the process under test must never print: it had an error nobody handled. */
const unhandled = /Unhandled|uncaught|unhandledRejection|ERR_UNHANDLED|"event":"internal-error"/i;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The upstream answers `/slow` late and streams `/stream` in pieces; anything else is echoed. */
function shapeUpstream(proxy: ScriptedProxy): void {
  proxy.upstream.respond = async (arrival, res) => {
    if (arrival.url.includes('/fuzz/slow')) {
      await sleep(40);
      if (!res.destroyed) res.end('{"slow":true}');
      return true;
    }
    if (arrival.url.includes('/fuzz/stream')) {
      res.writeHead(200, { 'content-type': 'text/plain' });
      for (let i = 0; i < 8 && !res.destroyed; i++) {
        res.write(`piece ${i} ${'s'.repeat(2000)}\n`);
        await sleep(5);
      }
      res.end();
      return true;
    }
    return false;
  };
}

describe('faults: a socket-level fuzzer on both listeners', function () {
  this.timeout(300_000);
  let dir: string;
  let ca: TestCa;
  let pair: Issued;
  let clientHello: Buffer;

  before(async function () {
    dir = await mkdtemp(join(tmpdir(), 'scribe-fuzz-'));
    ca = await createTestCa();
    pair = await ca.server();
    await writeFile(join(dir, 'tls.crt'), pair.cert);
    await writeFile(join(dir, 'tls.key'), pair.key, { mode: 0o600 });
    clientHello = await captureClientHello();
    registerSecret(adminToken);
  });
  after(async function () {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  for (const sessions of ['shared', 'per-client'] as const) {
    for (const tls of [false, true]) {
      it(`survives ${perMode} requests cut by FIN and RST anywhere, and answers the next (${sessions} sessions, ${tls ? 'TLS' : 'plain HTTP'})`, async function () {
        const perClient = sessions === 'per-client';
        const files = (prefix: string) =>
          tls
            ? {
                [`${prefix}_TLS_CERT_FILE`]: join(dir, 'tls.crt'),
                [`${prefix}_TLS_KEY_FILE`]: join(dir, 'tls.key'),
              }
            : {};
        const proxy = await startScriptedProxy({
          ADMIN_TOKEN: adminToken,
          PROXY_MAX_BODY_BYTES: '4096',
          ...(perClient
            ? {
                PROXY_SESSIONS: 'per-client',
                SCRIBE_USERNAME: undefined,
                SCRIBE_PASSWORD: undefined,
              }
            : {}),
          ...files('PROXY'),
          ...files('ADMIN'),
        });
        const agent = new Agent({
          keepAliveTimeout: 1000,
          connect: { ca: ca.cert, servername: 'localhost' },
        });
        try {
          await fuzz(proxy, agent, perClient, tls);
        } finally {
          await agent.close();
          await proxy.stop();
        }
      });
    }
  }

  async function fuzz(
    proxy: ScriptedProxy,
    agent: Agent,
    perClient: boolean,
    tls: boolean,
  ): Promise<void> {
    shapeUpstream(proxy);
    proxy.cognito.answerDelayMs = 20;
    const urls: Record<ListenerName, URL> = {
      proxy: new URL(proxy.proxyUrl),
      admin: new URL(proxy.adminUrl),
    };
    const login = basic(scriptedUser.name, scriptedUser.password);
    let fresh = 0;
    const cases = makeCases(seed, perMode, {
      perClient,
      tls,
      context: (listener, random) => ({
        listener,
        host: urls[listener].host,
        authorization: perClient ? login : undefined,
        adminAuthorization: `Bearer ${adminToken}`,
        freshLogin: () => {
          const name = `fuzz-${fresh++}`;
          proxy.cognito.addUser(name, 'Fuzz-Passw0rd!');
          return basic(name, 'Fuzz-Passw0rd!');
        },
        clientHello,
        random,
      }),
    });
    const child = proxy.process.child;
    let exited = false;
    child.once('exit', () => (exited = true));
    // Cases run side by side: a failure names the cases that were in flight with it as well.
    const inFlight = new Set<FuzzCase>();
    const failure = (c: FuzzCase | undefined, problem: string) =>
      new Error(
        `socket fuzzer, seed ${seed} (replay: SOCKET_FUZZ_SEED=${seed}): ` +
          `${c ? describeCase(c) : 'after the cases'}: ${problem}\n` +
          `in flight with it:\n${[...inFlight]
            .filter((o) => o !== c)
            .map(describeCase)
            .join('\n')}\n` +
          `process output (end):\n${proxy.process.output().slice(-4000)}`,
      );
    /** A normal request on the listener the case used: the same process still answers it. */
    const probe = async (listener: ListenerName): Promise<number> => {
      const url = urls[listener];
      const answer = await request(
        `${url.origin}${listener === 'admin' ? '/healthz' : '/fuzz/probe'}`,
        {
          dispatcher: agent,
          headers: listener === 'proxy' && perClient ? { authorization: login } : {},
          headersTimeout: 10_000,
          bodyTimeout: 10_000,
        },
      );
      await answer.body.dump();
      return answer.statusCode;
    };

    let next = 0;
    let failed: Error | undefined;
    const worker = async () => {
      while (!failed && next < cases.length) {
        const c = cases[next++] as FuzzCase;
        inFlight.add(c);
        const outcome = await playCase(
          { host: urls[c.listener].hostname, port: Number(urls[c.listener].port), ca: ca.cert },
          c,
        );
        if (exited) failed ??= failure(c, `the process exited (${child.exitCode})`);
        else if (outcome.hung) failed ??= failure(c, 'the connection stayed open after a FIN');
        else {
          const status = await probe(c.listener).catch((err: Error) => err.message);
          if (status !== 200) failed ??= failure(c, `the next normal request got ${status}`);
        }
        inFlight.delete(c);
      }
    };
    await Promise.all(Array.from({ length: parallel }, worker));
    if (failed) throw failed;
    // A reset often reaches the process after the client moved on: give the last ones a moment.
    await sleep(200);
    if (exited) throw failure(undefined, `the process exited (${child.exitCode})`);
    const output = proxy.process.output();
    const bad = unhandled.exec(output);
    if (bad) {
      const at = output.lastIndexOf('\n', bad.index);
      throw failure(undefined, `it printed: ${output.slice(at + 1, at + 600)}`);
    }
    expect(await probe('proxy')).to.equal(200);
    expect(await probe('admin')).to.equal(200);
  }
});
