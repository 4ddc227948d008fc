/**
 * Benchmark servers, one per child process so each can be pinned to its own CPU:
 *   node dist/bench/servers.js upstream
 *   node dist/bench/servers.js bare-node|scribe-sigv4|scribe-bearer|scribe-presigned <upstream url>
 * The scribe targets log each request at LOG_LEVEL (default info, as the service) to /dev/null.
 * Each sends { port } over IPC once listening, and answers { rssPeak } to 'report' (the
 * process's peak RSS in bytes).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import {
  type Authorizer,
  type SessionSource,
  bearerAuthorizer,
  createProxyHandler,
  sigv4Authorizer,
  upstreamOf,
} from '../src/proxy/index.js';
import { createLogger, createMetrics } from '../src/observability/index.js';
import { createHardenedServer, requestLog } from '../src/server/index.js';
import { barePassThrough } from './barePassThrough.js';
import { createFastUpstream } from './fastUpstream.js';
import { startFakeCognito } from './fakeCognito.js';
import { perClientCache } from './perClientSessions.js';

const [kind = 'upstream', upstreamUrl = ''] = process.argv.slice(2);

const fixedCredentials = {
  accessKeyId: 'ASIABENCHMARKKEY0001',
  secretAccessKey: 'benchmark/secret/key/0123456789abcdefghij',
  sessionToken: 'benchmark-session-token-'.repeat(20),
};
const fixedToken = `eyJhbGciOiJSUzI1NiJ9.${'x'.repeat(600)}.${'y'.repeat(340)}`;

/**
 * A control, not a product mode: sigv4 headers computed for the first request and sent unchanged
 * with every later one (the benchmark's upstream checks nothing). The same proxy and the same
 * header bytes as scribe-sigv4, less the per-request signature: the gap between the two is what
 * signing costs.
 */
function presigned(sigv4: Authorizer): Authorizer {
  let first: ReturnType<Authorizer['authorize']> | undefined;
  return { ...sigv4, authorize: (ctx) => (first ??= sigv4.authorize(ctx)) };
}

// Per-client mode: real sessions in the real cache, logged in against a stand-in Cognito; the
// load generator sends the Basic logins of benchAccounts accounts in turn.
const perClient =
  kind === 'scribe-per-client' ? perClientCache((await startFakeCognito()).url) : undefined;

async function proxyHandler(): Promise<(req: IncomingMessage, res: ServerResponse) => void> {
  const url = new URL(`${upstreamUrl}/v1`);
  if (kind === 'bare-node') return barePassThrough(url.href);
  const sigv4 = sigv4Authorizer(url, 'eu-west-2');
  const authorizer =
    kind === 'scribe-sigv4' || kind === 'scribe-per-client'
      ? sigv4
      : kind === 'scribe-presigned'
        ? presigned(sigv4)
        : bearerAuthorizer();
  const fixed: SessionSource = {
    held: () => (kind === 'scribe-bearer' ? fixedToken : fixedCredentials),
    credentials: async () => fixedCredentials,
    replaceCredentials: async () => fixedCredentials,
    accessToken: async () => fixedToken,
    replaceAccessToken: async () => fixedToken,
  };
  const handle = createProxyHandler({
    upstream: await upstreamOf(url, { timeoutMs: 30_000, idleTimeoutMs: 60_000 }),
    bodyIdleTimeoutMs: 20_000,
    authorizer,
    sessions: perClient
      ? { kind: 'per-client', cache: perClient }
      : { kind: 'shared', session: fixed },
    maxBodyBytes: 10 * 1024 * 1024,
    maxBufferedBytes: 256 * 1024 * 1024,
    clientToken: undefined,
    // As the service does: a metric and a log line per request, at LOG_LEVEL (default info),
    // written for real (to /dev/null, asynchronously, as pino writes to stdout).
    onDone: timed(
      requestLog(
        createLogger(
          process.env['LOG_LEVEL'] ?? 'info',
          pino.destination({ dest: '/dev/null', sync: false }),
        ),
        createMetrics({
          version: 'bench',
          mode: 'sigv4',
          sessions: perClient ? 'per-client' : 'shared',
        }),
      ),
    ),
  });
  return (req, res) => void handle(req, res);
}

/**
 * Peak RSS as the kernel counts it, with no sampling on the hot path: VmHWM of this address space
 * on Linux (getrusage's maxRSS is useless here: it survives exec, so a forked child starts with
 * its parent's peak); elsewhere, the current RSS at the time of asking.
 */
function peakRss(): number {
  try {
    const status = readFileSync('/proc/self/status', 'utf8');
    const kib = /^VmHWM:\s+(\d+) kB/m.exec(status)?.[1];
    if (kib) return Number(kib) * 1024;
  } catch {
    // not Linux
  }
  return process.memoryUsage().rss;
}
/**
 * The time spent in what ends each request (its metric and log line), measured in this process:
 * a figure the machine's noise cannot blur, for the "info costs at most 10%" target.
 */
const endOfRequest = { calls: 0, ms: 0 };
function timed<T>(done: (record: T) => void): (record: T) => void {
  return (record) => {
    const started = performance.now();
    done(record);
    endOfRequest.ms += performance.now() - started;
    endOfRequest.calls++;
  };
}

process.on('message', (message) => {
  if (message === 'report') {
    const usPerRequest = endOfRequest.calls ? (endOfRequest.ms * 1000) / endOfRequest.calls : NaN;
    process.send?.({ rssPeak: peakRss(), endOfRequestUs: usPerRequest });
  }
});
process.on('disconnect', () => process.exit(0));

const server =
  kind === 'upstream'
    ? createFastUpstream()
    : kind === 'bare-node'
      ? createServer({ keepAliveTimeout: 60_000 }, await proxyHandler())
      : createHardenedServer(await proxyHandler(), {
          maxHeaderBytes: 16 * 1024,
          headersTimeoutMs: 60_000,
          requestTimeoutMs: 300_000,
          keepAliveTimeoutMs: 60_000,
        });
server.maxConnections = 5000;
server.listen(0, '127.0.0.1', () => {
  process.send?.({ port: (server.address() as AddressInfo).port });
});
