/** The benchmark's measures beside the load table: signing, streaming, memory, sessions. */
import { Sha256 } from '@aws-crypto/sha256-js';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { Agent, request } from 'node:http';
import { fileURLToPath } from 'node:url';
import type { ProxyContext } from '../src/proxy/context.js';
import type { SessionSource } from '../src/proxy/index.js';
import { pickSession } from '../src/proxy/pickSession.js';
import { HotPathSigner } from '../src/signing/hotPath/index.js';
import { signOutgoingRequest } from '../src/signing/index.js';
import { call } from '../test/support/http.js';
import { World } from '../test/support/world.js';
import { startFakeCognito } from './fakeCognito.js';
import { benchAccount, perClientCache } from './perClientSessions.js';
import { startServer } from './processes.js';

const MiB = 1024 * 1024;
// ---- signing -------------------------------------------------------------------------------

async function opsPerSecond(run: () => Promise<unknown>, minMs = 700): Promise<number> {
  // Warm up first (JIT, caches), then count.
  for (let started = performance.now(); performance.now() - started < 200;) await run();
  let n = 0;
  const start = performance.now();
  while (performance.now() - start < minMs || n < 3) {
    await run();
    n++;
  }
  return (n * 1000) / (performance.now() - start);
}

export async function signingBench(): Promise<
  Array<{ size: string; hot: number; ours: number; sha256js: number }>
> {
  const credentials = {
    accessKeyId: 'ASIABENCH',
    secretAccessKey: 'secret',
    sessionToken: 'token',
  };
  const jsSigner = new SignatureV4({
    credentials,
    region: 'eu-west-2',
    service: 'execute-api',
    sha256: Sha256,
  });
  const rows = [];
  for (const [size, bytes] of [
    ['0 B', 0],
    ['1 KiB', 1024],
    ['1 MiB', MiB],
    ['10 MiB', 10 * MiB],
  ] as const) {
    const body = randomBytes(bytes);
    const request = {
      method: 'POST',
      protocol: 'https:',
      hostname: 'mi.scribelabs.ai',
      path: '/v1/tasks',
      query: { a: '1' },
    };
    const ours = await opsPerSecond(() =>
      signOutgoingRequest({ ...request, body }, credentials, {
        region: 'eu-west-2',
        service: 'execute-api',
      }),
    );
    const sha256js = await opsPerSecond(() =>
      jsSigner.sign(new HttpRequest({ ...request, headers: { host: 'mi.scribelabs.ai' }, body })),
    );
    // The proxy's hot path: the body hashed (as readBody does while it arrives), then signed.
    const hotSigner = new HotPathSigner(
      credentials,
      { region: 'eu-west-2', service: 'execute-api' },
      'mi.scribelabs.ai',
    );
    const hot = await opsPerSecond(async () =>
      hotSigner.sign({
        method: 'POST',
        path: '/v1/tasks',
        canonicalQuery: 'a=1',
        payloadHash: createHash('sha256').update(body).digest('hex'),
      }),
    );
    rows.push({ size, hot, ours, sha256js });
  }
  return rows;
}

// ---- streaming -----------------------------------------------------------------------------

export function timeToFirstByte(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    request(`${url}/stream`, { agent: false }, (res) => {
      res.once('data', () => resolve(performance.now() - started));
      res.resume();
    })
      .on('error', reject)
      .end();
  });
}

// ---- memory --------------------------------------------------------------------------------

/**
 * Peak RSS of a fresh scribe-proxy (sigv4) process during `work`: the kernel's high-water mark
 * right after start (idle) and after the work, so nothing from the load rounds is counted.
 */
export async function peakDuring(
  upstreamUrl: string,
  work: (url: string) => Promise<unknown>,
): Promise<{ base: number; peak: number }> {
  const server = await startServer('scribe-sigv4', 0, upstreamUrl);
  try {
    const base = (await server.ask<{ rssPeak: number }>('report')).rssPeak;
    await work(server.url);
    const peak = (await server.ask<{ rssPeak: number }>('report')).rssPeak;
    return { base, peak };
  } finally {
    server.child.kill();
  }
}

export async function manyConnections(url: string, count: number): Promise<void> {
  const agent = new Agent({ keepAlive: true, maxSockets: count });
  await Promise.all(
    Array.from(
      { length: count },
      () =>
        new Promise<void>((resolve, reject) => {
          request(`${url}/items`, { agent }, (res) => {
            res.resume();
            res.on('end', resolve);
          })
            .on('error', reject)
            .end();
        }),
    ),
  );
  await new Promise((r) => setTimeout(r, 200));
  agent.destroy();
}

export async function bigPosts(url: string, count: number, bytes: number): Promise<void> {
  const body = randomBytes(bytes);
  await Promise.all(
    Array.from({ length: count }, () =>
      call(url, { method: 'POST', path: '/upload', body }).then((a) => {
        if (a.status !== 200) throw new Error(`10 MiB POST answered ${a.status}`);
      }),
    ),
  );
}

// ---- per-client mode -----------------------------------------------------------------------

export const perClientLogins = Array.from({ length: 50 }, (_, n) => {
  const { username, password } = benchAccount(n);
  return { authorization: `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}` };
});

/**
 * The cost of picking the session, per request: the per-client pass on cache hits (50 accounts
 * logged in first) against the shared mode's pass, each run many times in this process.
 */
export async function perClientStepCost(): Promise<{ perClientUs: number; sharedUs: number }> {
  const cognito = await startFakeCognito();
  const cache = perClientCache(cognito.url);
  const perClientPass = pickSession({ kind: 'per-client', cache });
  const sharedPass = pickSession({
    kind: 'shared',
    session: {} as SessionSource,
  });
  const signal = new AbortController().signal;
  const contexts = perClientLogins.map(
    (headers) => ({ req: { headers }, signal }) as unknown as ProxyContext,
  );
  for (const ctx of contexts) await perClientPass(ctx); // the logins
  const timePass = async (pass: typeof sharedPass) => {
    const n = 200_000;
    for (let i = 0; i < 20_000; i++) await pass(contexts[i % contexts.length] as ProxyContext);
    const started = performance.now();
    for (let i = 0; i < n; i++) await pass(contexts[i % contexts.length] as ProxyContext);
    return ((performance.now() - started) * 1000) / n;
  };
  const sharedUs = Math.min(await timePass(sharedPass), await timePass(sharedPass));
  const perClientUs = Math.min(await timePass(perClientPass), await timePass(perClientPass));
  cache.close();
  cognito.server.close();
  return { perClientUs, sharedUs };
}

/** Memory per held per-client session, measured in a fresh process (bench/sessionMemory.ts). */
export function bytesPerSession(count: number): number {
  const script = fileURLToPath(new URL('./sessionMemory.js', import.meta.url));
  const out = execFileSync(process.execPath, ['--expose-gc', script, String(count)], {
    encoding: 'utf8',
  });
  return (JSON.parse(out) as { bytesPerSession: number }).bytesPerSession;
}

// ---- refresh storm -------------------------------------------------------------------------

export async function refreshStorm(): Promise<{
  requests: number;
  ok: number;
  refreshes: number;
  getIds: number;
}> {
  const world = await World.start({ credentialSeconds: 3 });
  try {
    const { service } = await world.proxy({ REFRESH_MARGIN_S: '0', LOG_LEVEL: 'warn' });
    const expiresAt = Date.parse(service.session?.status().credentialsExpireAt ?? '');
    const before = { ...world.emulator.calls };
    await new Promise((r) => setTimeout(r, Math.max(0, expiresAt - Date.now() - 100)));
    const agent = new Agent({ keepAlive: true, maxSockets: 1000 });
    const statuses = await Promise.all(
      Array.from(
        { length: 1000 },
        (_, i) =>
          new Promise<number>((resolve) => {
            setTimeout(() => {
              request(`${service.proxyUrl}/storm`, { agent }, (res) => {
                res.resume();
                res.on('end', () => resolve(res.statusCode ?? 0));
              })
                .on('error', () => resolve(0))
                .end();
            }, i % 300); // spread over 300 ms, across the expiry
          }),
      ),
    );
    agent.destroy();
    return {
      requests: statuses.length,
      ok: statuses.filter((s) => s === 200).length,
      refreshes: world.emulator.calls.GetCredentialsForIdentity - before.GetCredentialsForIdentity,
      getIds: world.emulator.calls.GetId - before.GetId,
    };
  } finally {
    await world.stop();
  }
}
