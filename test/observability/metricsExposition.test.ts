import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { createMetrics, type Metrics } from '../../src/observability/index.js';
import { requirePromtool } from '../support/promtool.js';

/** promtool's verdict on an exposition: its exit status and what it said. */
function promtoolCheck(exposition: string): { status: number | null; output: string } {
  const run = spawnSync('promtool', ['check', 'metrics'], { input: exposition, encoding: 'utf8' });
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}

/** Metrics with some of everything counted, as a service has after a while. */
function busy(sessions: 'shared' | 'per-client'): Metrics {
  const metrics = createMetrics({ version: '1.2.3', mode: 'sigv4', sessions });
  metrics.requestSeries('GET', 200).observe(0.00390625);
  metrics.requestSeries('GET', 200).observe(0.25);
  metrics.requestSeries('POST', 502).observe(31);
  metrics.upstreamSeries(200).observe(0.003);
  metrics.refreshes.inc({ kind: 'credentials', outcome: 'success' });
  metrics.tlsReloads.inc({ listener: 'proxy', result: 'success' });
  metrics.setExpirySource(() => 1800);
  metrics.setStateSource(['ready', 'needs-login'], () => 'ready');
  metrics.setTlsExpirySource('proxy', () => 86_400);
  if (sessions === 'per-client') {
    metrics.logins.inc({ outcome: 'ok' });
    metrics.evictions.inc({ reason: 'idle' });
    metrics.setSessionsHeldSource(() => 3);
  }
  return metrics;
}

describe('the /metrics exposition', function () {
  before(function () {
    requirePromtool(this);
  });

  for (const sessions of ['shared', 'per-client'] as const) {
    it(`passes promtool check metrics in ${sessions} mode`, async function () {
      const exposition = await busy(sessions).registry.metrics();
      const verdict = promtoolCheck(exposition);
      expect(verdict.output.trim(), exposition).to.equal('');
      expect(verdict.status).to.equal(0);
    });
  }
});

describe('the request metrics', function () {
  it('count requests by method and code, with their end-to-end duration', async function () {
    const text = await busy('shared').registry.metrics();
    expect(text).to.match(/^scribe_proxy_requests_total\{method="GET",code="200"\} 2$/m);
    expect(text).to.match(/^scribe_proxy_requests_total\{method="POST",code="502"\} 1$/m);
    expect(text).to.match(
      /^scribe_proxy_request_duration_seconds_bucket\{method="GET",code="200",le="0\.005"\} 1$/m,
    );
    expect(text).to.match(
      /^scribe_proxy_request_duration_seconds_bucket\{method="GET",code="200",le="0\.25"\} 2$/m,
    );
    expect(text).to.match(
      /^scribe_proxy_request_duration_seconds_bucket\{method="POST",code="502",le="30"\} 0$/m,
    );
    expect(text).to.match(
      /^scribe_proxy_request_duration_seconds_bucket\{method="POST",code="502",le="\+Inf"\} 1$/m,
    );
    expect(text).to.match(
      /^scribe_proxy_request_duration_seconds_sum\{method="GET",code="200"\} 0\.25390625$/m,
    );
    expect(text).to.match(/^scribe_proxy_upstream_latency_seconds_count\{code="200"\} 1$/m);
  });

  it('say which build is running', async function () {
    const text = await busy('shared').registry.metrics();
    expect(text).to.include(
      `scribe_proxy_build_info{version="1.2.3",mode="sigv4",sessions="shared",node_version="${process.versions.node}"} 1`,
    );
  });

  it('hold per-client series only in per-client mode', async function () {
    const shared = await busy('shared').registry.metrics();
    const perClient = await busy('per-client').registry.metrics();
    for (const name of [
      'scribe_proxy_sessions',
      'scribe_proxy_session_logins_total',
      'scribe_proxy_session_evictions_total',
    ]) {
      expect(shared).to.not.include(`# TYPE ${name} `);
      expect(perClient).to.include(`# TYPE ${name} `);
    }
  });
});
