/**
 * The upstream client alone, A/B: http.request + Agent (bare-node's) against undici's Pool
 * (`request`, and `dispatch` with raw headers: what the proxy uses). Each variant is a bare forwarder (no signing,
 * no pipeline) in its own process on CPU 0; the benchmark's upstream (processes.ts, startUpstream)
 * and wrk share CPU 1. `npm run
 * bench` runs it (compareUpstreamClients); `node dist/bench/upstreamClients.js` alone prints it.
 */
import { execFileSync, fork } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { Agent, createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { Pool } from 'undici';
import { startUpstream } from './processes.js';
import { wrk } from './wrk.js';

const thisFile = fileURLToPath(import.meta.url);
const isChild = process.argv[1] === thisFile && process.argv[2] !== undefined;
const [role, upstreamUrl = ''] = isChild ? process.argv.slice(2) : [];
const variants = ['http-agent', 'undici-request', 'undici-dispatch'] as const;

function readBody(req: IncomingMessage): Promise<Buffer[]> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(chunks));
  });
}

/** A forwarder that sends each request upstream with one of the clients. */
function forwarder(kind: string): (req: IncomingMessage, res: ServerResponse) => void {
  const url = new URL(upstreamUrl);
  if (kind === 'http-agent') {
    const agent = new Agent({ keepAlive: true, maxSockets: 256, maxFreeSockets: 256 });
    return (req, res) =>
      void readBody(req).then((body) => {
        const length = body.reduce((n, c) => n + c.length, 0);
        const out = request(
          {
            hostname: url.hostname,
            port: url.port,
            method: req.method,
            path: req.url,
            agent,
            headers: { host: url.host, 'content-length': String(length) },
          },
          (answer) => {
            res.writeHead(answer.statusCode ?? 502, answer.rawHeaders);
            answer.pipe(res);
          },
        );
        out.cork();
        for (const chunk of body) out.write(chunk);
        out.end();
      });
  }
  const pool = new Pool(url.origin, { connections: 256, pipelining: 1 });
  if (kind === 'undici-request') {
    return (req, res) =>
      void readBody(req).then(async (body) => {
        const answer = await pool.request({
          path: req.url ?? '/',
          method: (req.method ?? 'GET') as 'GET',
          headers: { host: url.host },
          body: body.length === 0 ? null : body.length === 1 ? body[0] : Buffer.concat(body),
        });
        res.writeHead(answer.statusCode, answer.headers as Record<string, string>);
        answer.body.pipe(res);
      });
  }
  // dispatch: raw headers as they came, the body written as it arrives.
  return (req, res) =>
    void readBody(req).then((body) => {
      pool.dispatch(
        {
          path: req.url ?? '/',
          method: (req.method ?? 'GET') as 'GET',
          headers: { host: url.host },
          body: body.length === 0 ? null : body.length === 1 ? body[0] : Buffer.concat(body),
        },
        {
          onConnect() {},
          onError() {
            res.destroy();
          },
          onHeaders(statusCode: number, headers: Buffer[] | string[] | null) {
            res.writeHead(
              statusCode,
              (headers ?? []).map((h) => h.toString()),
            );
            return true;
          },
          onData(chunk: Buffer) {
            return res.write(chunk);
          },
          onComplete() {
            res.end();
          },
        },
      );
    });
}

function cpuUs(pid: number | undefined): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return ((Number(fields[11]) + Number(fields[12])) * 1e6) / 100;
}

/** A forwarder of this file on `cpu`. */
async function start(kind: string, cpu: number, target: string) {
  const child = fork(thisFile, [kind, target], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const port = await new Promise<number>((resolve) =>
    child.once('message', (m) => resolve((m as { port: number }).port)),
  );
  execFileSync('taskset', ['-pc', String(cpu), String(child.pid)], { stdio: 'ignore' });
  return { child, url: `http://127.0.0.1:${port}` };
}

/** One row per workload and client: median rps, least CPU µs per request of 3 rounds. */
export interface ClientRow {
  workload: string;
  client: string;
  rps: number;
  cpuUs: number;
}

/** Run the A/B; this process (the load generator) moves to CPU 1. */
export async function compareUpstreamClients(seconds: number): Promise<ClientRow[]> {
  execFileSync('taskset', ['-pc', '1', String(process.pid)], { stdio: 'ignore' });
  const up = await startUpstream(1);
  const servers = await Promise.all(variants.map((v) => start(v, 0, up.url)));
  const workloads = [
    { name: 'small GET', method: 'GET' as const, bodyBytes: 0 },
    { name: '64 KiB POST', method: 'POST' as const, bodyBytes: 64 * 1024 },
  ];
  const results = new Map<string, Array<{ rps: number; cpu: number }>>();
  for (let round = 0; round < 3; round++) {
    for (const w of workloads) {
      for (let i = 0; i < variants.length; i++) {
        const v = (round + i) % variants.length;
        const server = servers[v];
        if (!server) continue;
        const before = cpuUs(server.child.pid);
        const r = await wrk({
          url: `${server.url}/items?id=1`,
          method: w.method,
          bodyBytes: w.bodyBytes,
          connections: 20,
          seconds,
        });
        const key = `${w.name}|${variants[v]}`;
        const cpu = (cpuUs(server.child.pid) - before) / r.requests;
        results.set(key, [...(results.get(key) ?? []), { rps: r.rps, cpu }]);
        process.stderr.write(
          `upstream client ${key}: ${Math.round(r.rps)} rps, ${cpu.toFixed(0)} µs\n`,
        );
      }
    }
  }
  for (const s of [up, ...servers]) s.child.kill();
  return [...results].map(([key, runs]) => {
    const [workload = '', client = ''] = key.split('|');
    return {
      workload,
      client,
      rps: runs.map((r) => r.rps).sort((a, b) => a - b)[1] ?? NaN,
      cpuUs: Math.min(...runs.map((r) => r.cpu)),
    };
  });
}

if (isChild) {
  const server = createServer({ keepAliveTimeout: 60_000 }, forwarder(role ?? ''));
  server.listen(0, '127.0.0.1', () =>
    process.send?.({ port: (server.address() as AddressInfo).port }),
  );
  process.on('disconnect', () => process.exit(0));
} else if (process.argv[1] === thisFile) {
  const rows = await compareUpstreamClients(Number(process.env['BENCH_SECONDS'] ?? 3));
  for (const r of rows) {
    const line = `${r.workload}\t${r.client}\t${Math.round(r.rps)} rps\t${r.cpuUs.toFixed(0)} µs`;
    process.stdout.write(`${line}\n`);
  }
  process.exit(0);
}
