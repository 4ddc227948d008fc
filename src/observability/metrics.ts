import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import { RecentMinutes } from './recentMinutes.js';
import { RequestTally, type TallySeries } from './requestTally.js';

/** What the build_info series says about this process. */
export interface BuildInfo {
  version: string;
  /** SCRIBE_AUTH_MODE: sigv4 or bearer. */
  mode: string;
  /** PROXY_SESSIONS: shared or per-client (per-client series exist only in per-client mode). */
  sessions: 'shared' | 'per-client';
}

/** The metrics scribe-proxy exports on GET /metrics. */
export interface Metrics {
  registry: Registry;
  /**
   * Proxied requests by `method` and `code` (the status answered to the client): the series a
   * finished request counts in (`scribe_proxy_requests_total` and the end-to-end duration
   * histogram): two map look-ups, no allocation once it exists. The method is one Node's HTTP
   * parser accepted (a fixed set), so the series stay few.
   */
  requestSeries(method: string, code: number): TallySeries;
  /** Upstream answers by `code`: the time from sending to the response headers, seconds. */
  upstreamSeries(code: number): TallySeries;
  refreshes: Counter<'kind' | 'outcome'>;
  /** Per-client mode: client logins by outcome ('remembered': answered from the negative cache). */
  logins: Counter<'outcome'>;
  /** Per-client mode: sessions evicted, by reason. */
  evictions: Counter<'reason'>;
  /**
   * Requests and connections refused because the process holds all it may: `buffered_bytes`
   * (PROXY_MAX_BUFFERED_BYTES), `proxy_connections`, `admin_connections` (the listeners' caps).
   */
  overloadRefusals: Counter<'reason'>;
  /** The last hour of proxied requests per minute, by status or error code (the console's chart). */
  recentRequests: RecentMinutes;
  /** Per-client mode: the last hour of client logins per minute, by outcome (the console). */
  recentLogins: RecentMinutes;
  /** Per-client mode: set a callback giving the number of sessions held. */
  setSessionsHeldSource(source: () => number): void;
  /** Set a callback giving the seconds until the signing credentials expire. */
  setExpirySource(source: () => number | undefined): void;
  /** Set the session's possible states and a callback giving the current one. */
  setStateSource(states: readonly string[], current: () => string): void;
  /** TLS certificate reloads by listener and result ('success' or 'failure'). */
  tlsReloads: Counter<'listener' | 'result'>;
  /** 1 while a listener's last TLS load (start, watch or SIGHUP) succeeded, 0 after a failure. */
  tlsLastReloadSuccessful: Gauge<'listener'>;
  /** Set a callback giving the seconds until a listener's certificate expires. */
  setTlsExpirySource(listener: string, source: () => number): void;
}

const latencyBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/** A fresh registry with the process metrics and ours. */
export function createMetrics(build: BuildInfo): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'scribe_proxy_' });
  // prom-client names these gauges as counters (`_total`), which Prometheus' conventions (and
  // promtool) refuse; the event-loop, heap and GC metrics say more anyway.
  for (const gauge of ['active_handles_total', 'active_requests_total', 'active_resources_total'])
    registry.removeSingleMetric(`scribe_proxy_nodejs_${gauge}`);
  const perClient = build.sessions === 'per-client';
  new Gauge({
    name: 'scribe_proxy_build_info',
    help: 'Always 1: the version, auth mode, session mode and Node.js version of this process',
    labelNames: ['version', 'mode', 'sessions', 'node_version'] as const,
    registers: [registry],
  }).set(
    {
      version: build.version,
      mode: build.mode,
      sessions: build.sessions,
      node_version: process.versions.node,
    },
    1,
  );
  let expirySource: () => number | undefined = () => undefined;
  let stateSource: { states: readonly string[]; current: () => string } | undefined;
  let heldSource: (() => number) | undefined;
  const tlsExpirySources = new Map<string, () => number>();
  // The tallies go in as plain metric objects: prom-client's types name only its own classes,
  // but its Registry reads any object with a name and get() (as it reads its own).
  const requests = new RequestTally(['method', 'code'], latencyBuckets);
  registry.registerMetric(
    requests.counter(
      'scribe_proxy_requests_total',
      'Proxied requests by method and the status code answered to the client',
    ) as never,
  );
  registry.registerMetric(
    requests.histogram(
      'scribe_proxy_request_duration_seconds',
      'Time from a request arriving to its answer ending, by method and status code',
    ) as never,
  );
  const upstream = new RequestTally(['code'], latencyBuckets);
  registry.registerMetric(
    upstream.histogram(
      'scribe_proxy_upstream_latency_seconds',
      "Time from sending a request upstream to its response headers, by the upstream's status code",
    ) as never,
  );
  // Per-client series exist only in per-client mode (in shared mode these count nothing and are
  // in no registry).
  const perClientRegistry = perClient ? [registry] : [];
  const refreshes = new Counter({
    name: 'scribe_proxy_refreshes_total',
    help: 'Cognito refreshes by what was refreshed and how it went',
    labelNames: ['kind', 'outcome'] as const,
    registers: [registry],
  });
  const logins = new Counter({
    name: 'scribe_proxy_session_logins_total',
    help: 'Per-client mode: client logins by outcome (remembered: refused from the negative cache without asking Cognito)',
    labelNames: ['outcome'] as const,
    registers: perClientRegistry,
  });
  const evictions = new Counter({
    name: 'scribe_proxy_session_evictions_total',
    help: 'Per-client mode: sessions evicted, by reason (idle, capacity, admin, failed, shutdown)',
    labelNames: ['reason'] as const,
    registers: perClientRegistry,
  });
  const overloadRefusals = new Counter({
    name: 'scribe_proxy_overload_refusals_total',
    help: 'Requests refused 503 overloaded (or HTTPS connections closed) because the process holds all it may, by reason (buffered_bytes, proxy_connections, admin_connections)',
    labelNames: ['reason'] as const,
    registers: [registry],
  });
  new Gauge({
    name: 'scribe_proxy_sessions',
    help: 'Per-client mode: sessions held',
    registers: perClientRegistry,
    collect() {
      if (heldSource) this.set(heldSource());
    },
  });
  new Gauge({
    name: 'scribe_proxy_credentials_expiry_seconds',
    help: 'Seconds until the credentials (or bearer token) the proxy signs with expire',
    registers: [registry],
    collect() {
      const seconds = expirySource();
      if (seconds !== undefined) this.set(seconds);
      else this.reset();
    },
  });
  new Gauge({
    name: 'scribe_proxy_session_state',
    help: 'The session state: one series per state, 1 for the current one',
    labelNames: ['state'] as const,
    registers: [registry],
    collect() {
      if (!stateSource) return;
      const current = stateSource.current();
      for (const state of stateSource.states) this.set({ state }, state === current ? 1 : 0);
    },
  });
  const tlsReloads = new Counter({
    name: 'scribe_proxy_tls_reloads_total',
    help: 'TLS certificate reloads (files changed, or SIGHUP) by listener and result',
    labelNames: ['listener', 'result'] as const,
    registers: [registry],
  });
  const tlsLastReloadSuccessful = new Gauge({
    name: 'scribe_proxy_tls_last_reload_successful',
    help: "1 while a listener's last TLS load succeeded, 0 while it serves an older pair after a failure",
    labelNames: ['listener'] as const,
    registers: [registry],
  });
  new Gauge({
    name: 'scribe_proxy_tls_certificate_expiry_seconds',
    help: 'Seconds until the certificate a listener serves expires (alert well before 0)',
    labelNames: ['listener'] as const,
    registers: [registry],
    collect() {
      for (const [listener, source] of tlsExpirySources) this.set({ listener }, source());
    },
  });
  return {
    registry,
    tlsReloads,
    tlsLastReloadSuccessful,
    setTlsExpirySource(listener, source) {
      tlsExpirySources.set(listener, source);
    },
    requestSeries: (method, code) => requests.series(method, String(code)),
    upstreamSeries: (code) => upstream.series(String(code)),
    refreshes,
    logins,
    evictions,
    overloadRefusals,
    recentRequests: new RecentMinutes(),
    recentLogins: new RecentMinutes(),
    setSessionsHeldSource(source) {
      heldSource = source;
    },
    setExpirySource(source) {
      expirySource = source;
    },
    setStateSource(states, current) {
      stateSource = { states, current };
    },
  };
}
