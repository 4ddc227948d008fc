import { readFileSync } from 'node:fs';
import { wrk } from './wrk.js';

/** What one load window sends. */
export interface Workload {
  name: string;
  method: 'GET' | 'POST';
  bodyBytes?: number;
}

export const workloads: Workload[] = [
  { name: 'small GET', method: 'GET' },
  { name: '64 KiB POST', method: 'POST', bodyBytes: 64 * 1024 },
];

export interface LoadResult {
  rps: number;
  /** Latency percentiles, ms. */
  p50: number;
  p99: number;
  errors: number;
  /** CPU time (user + system) the proxy process spent per request; NaN where unknown. */
  cpuUs: number;
}

/** CPU time of a process in µs, from /proc (Linux); NaN elsewhere. */
export function cpuTimeUs(pid: number | undefined): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    const ticks = Number(fields[11]) + Number(fields[12]);
    return (ticks * 1e6) / 100;
  } catch {
    return NaN;
  }
}

/**
 * One load window of `seconds` against `url` with wrk, and the CPU time the process `proxyPid`
 * spent in it per request.
 */
export async function load(
  url: string,
  workload: Workload,
  options: {
    connections: number;
    seconds: number;
    proxyPid?: number | undefined;
    /** Authorization values of successive requests, in turn (the per-client logins). */
    authorizationsInTurn?: string[];
  },
): Promise<LoadResult> {
  const { proxyPid } = options;
  const cpuBefore = cpuTimeUs(proxyPid);
  const result = await wrk({
    url: `${url}/items?id=42&tag=a`,
    method: workload.method,
    ...(workload.bodyBytes ? { bodyBytes: workload.bodyBytes } : {}),
    connections: options.connections,
    seconds: options.seconds,
    ...(options.authorizationsInTurn ? { authorizationsInTurn: options.authorizationsInTurn } : {}),
  });
  return {
    rps: result.rps,
    p50: result.p50,
    p99: result.p99,
    errors: result.errors,
    cpuUs: proxyPid ? (cpuTimeUs(proxyPid) - cpuBefore) / result.requests : NaN,
  };
}
