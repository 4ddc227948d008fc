import { expect } from 'chai';
import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml, parseAllDocuments } from 'yaml';
import { secretFileVariables } from '../src/config/index.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const read = (path: string) => readFile(`${root}${path}`, 'utf8');

interface Manifest {
  apiVersion: string;
  kind: string;
  metadata?: { name?: string };
  spec?: Record<string, unknown>;
}

/** Every document of every manifest under deploy/kubernetes. */
async function manifests(): Promise<Array<{ file: string; doc: Manifest }>> {
  const dir = 'deploy/kubernetes';
  const files = (await readdir(`${root}${dir}`)).filter((f) => f.endsWith('.yaml'));
  const all: Array<{ file: string; doc: Manifest }> = [];
  for (const file of files) {
    for (const doc of parseAllDocuments(await read(`${dir}/${file}`))) {
      if (doc.errors.length > 0) throw new Error(`${file}: ${doc.errors[0]?.message}`);
      all.push({ file, doc: doc.toJS() as Manifest });
    }
  }
  return all;
}

/** The kubernetes-models class for a kind (its validate() checks the Kubernetes schema). */
async function modelFor(manifest: Manifest) {
  const [group, version] = manifest.apiVersion.includes('/')
    ? manifest.apiVersion.split('/')
    : ['', manifest.apiVersion];
  // prometheus-operator's kinds (PodMonitor) have their models in a package of their own.
  const path =
    group === 'monitoring.coreos.com'
      ? `@kubernetes-models/prometheus-operator/${group}/${version}/${manifest.kind}`
      : group
        ? `kubernetes-models/${group}/${version}/${manifest.kind}`
        : `kubernetes-models/v1/${manifest.kind}`;
  const module = (await import(path)) as Record<
    string,
    new (value: unknown) => { validate(): void }
  >;
  const Model = module[manifest.kind];
  if (!Model) throw new Error(`no model for ${manifest.apiVersion} ${manifest.kind}`);
  return Model;
}

type ProxyContainer = {
  name: string;
  env?: Array<{ name: string; value?: string }>;
  envFrom?: Array<{ secretRef?: unknown; configMapRef?: unknown }>;
  volumeMounts?: Array<{ name: string; mountPath: string; readOnly?: boolean }>;
};

type PodSpec = {
  securityContext?: { runAsNonRoot?: boolean; runAsUser?: number };
  terminationGracePeriodSeconds?: number;
  initContainers?: Array<{
    name: string;
    restartPolicy?: string;
    env?: Array<{ name: string; value?: string }>;
  }>;
  containers?: Array<{ name: string }>;
};

type PortedContainer = { ports?: Array<{ name: string; containerPort: number }> };
type Labels = Record<string, string>;
type Peer = {
  ipBlock?: { cidr: string };
  namespaceSelector?: { matchLabels?: Labels };
  podSelector?: { matchLabels?: Labels };
};
type Policy = {
  ingress: Array<{
    from?: Peer[];
    ports?: Array<{ protocol?: string; port?: number; endPort?: number }>;
  }>;
};
/** A connection's source: an address outside the pod network, or a pod and its namespace. */
type Source = { ip?: string; namespace?: Labels; pod?: Labels };

const inCidr = (ip: string, cidr: string) => {
  const [base, bits] = cidr.split('/') as [string, string];
  const n = (a: string) => a.split('.').reduce((acc, o) => acc * 256 + Number(o), 0);
  const size = 2 ** (32 - Number(bits));
  return Math.floor(n(ip) / size) === Math.floor(n(base) / size);
};
const selects = (selector: { matchLabels?: Labels } | undefined, labels: Labels | undefined) =>
  Object.entries(selector?.matchLabels ?? {}).every(([k, v]) => labels?.[k] === v);
/** Kubernetes' peer rule (the policy's own namespace is called 'default' here). */
const peerAdmits = (peer: Peer, source: Source) => {
  if (peer.ipBlock) return source.ip !== undefined && inCidr(source.ip, peer.ipBlock.cidr);
  if (!source.pod) return false;
  const namespaceOk = peer.namespaceSelector
    ? selects(peer.namespaceSelector, source.namespace)
    : source.namespace?.['kubernetes.io/metadata.name'] === 'default';
  return namespaceOk && selects(peer.podSelector, source.pod);
};
/** Allowed when some rule admits both the source and the port. */
const admits = (policy: Policy, source: Source, protocol: string, port: number) =>
  policy.ingress.some(
    (rule) =>
      (!rule.from || rule.from.some((peer) => peerAdmits(peer, source))) &&
      (!rule.ports ||
        rule.ports.some(
          (p) =>
            (p.protocol ?? 'TCP') === protocol &&
            p.port !== undefined &&
            port >= p.port &&
            port <= (p.endPort ?? p.port),
        )),
  );
/** An address in the nodes' range the policy names for the admin port. */
const nodeAddress = (policy: Policy) => {
  const cidr = policy.ingress.flatMap((r) => r.from ?? []).find((p) => p.ipBlock)?.ipBlock?.cidr;
  return cidr?.split('/')[0] as string;
};
/** Prometheus as kube-prometheus-stack runs it: its pods' label, in the monitoring namespace. */
const prometheus: Source = {
  namespace: { 'kubernetes.io/metadata.name': 'monitoring' },
  pod: { 'app.kubernetes.io/name': 'prometheus', 'app.kubernetes.io/instance': 'k8s' },
};

describe('deployment files', function () {
  it('every Kubernetes manifest is valid against the Kubernetes schemas (offline)', async function () {
    const all = await manifests();
    expect(all.length).to.be.greaterThan(2);
    for (const { file, doc } of all) {
      const Model = await modelFor(doc);
      expect(
        () => new Model(doc).validate(),
        `${file}: ${doc.kind} ${doc.metadata?.name}`,
      ).to.not.throw();
    }
  });

  it('the pods run as a numeric non-root user, and the image is numeric too', async function () {
    const dockerfile = await read('Dockerfile');
    const users = [...dockerfile.matchAll(/^USER\s+(\S+)/gm)].map((m) => m[1]);
    expect(users.length).to.be.greaterThan(0);
    for (const user of users) expect(user).to.match(/^\d+(:\d+)?$/);
    for (const { doc } of await manifests()) {
      if (doc.kind !== 'Deployment') continue;
      const pod = (doc.spec?.['template'] as { spec: PodSpec }).spec;
      expect(pod.securityContext?.runAsNonRoot).to.equal(true);
      expect(pod.securityContext?.runAsUser).to.be.a('number').and.greaterThan(0);
    }
  });

  it("the sidecar is native (starts first, stops last) and its grace fits the pod's", async function () {
    const deployments = (await manifests()).filter(
      ({ file, doc }) => file === 'sidecar.yaml' && doc.kind === 'Deployment',
    );
    expect(deployments).to.have.length(1);
    const pod = (deployments[0]?.doc.spec?.['template'] as { spec: PodSpec }).spec;
    const proxy = pod.initContainers?.find((c) => c.name === 'scribe-proxy');
    expect(proxy?.restartPolicy).to.equal('Always');
    const grace = Number(proxy?.env?.find((e) => e.name === 'SHUTDOWN_GRACE_S')?.value);
    expect(grace).to.be.lessThan(pod.terminationGracePeriodSeconds ?? 30);
  });

  it('the gateway scales out: 2+ replicas in per-client mode, affinity, HPA on CPU, PDB, probes on the admin port', async function () {
    const docs = (await manifests())
      .filter(({ file }) => file === 'gateway.yaml')
      .map((m) => m.doc);
    const byKind = (kind: string) => docs.filter((d) => d.kind === kind);
    const [deployment] = byKind('Deployment');
    const spec = deployment?.spec as {
      replicas: number;
      selector: { matchLabels: Record<string, string> };
      template: { metadata: { labels: Record<string, string> }; spec: PodSpec };
    };
    expect(spec.replicas).to.be.at.least(2);
    const labels = spec.template.metadata.labels;
    const container = spec.template.spec.containers?.[0] as unknown as {
      env: Array<{ name: string; value?: string }>;
      ports: Array<{ name: string; containerPort: number }>;
      readinessProbe: { httpGet: { path: string; port: string } };
      livenessProbe: { httpGet: { path: string; port: string } };
      resources: { requests: { cpu?: string } };
    };
    const env = Object.fromEntries(container.env.map((e) => [e.name, e.value]));
    expect(env['PROXY_SESSIONS']).to.equal('per-client');
    expect(Number(env['SHUTDOWN_GRACE_S'])).to.be.lessThan(
      spec.template.spec.terminationGracePeriodSeconds ?? 30,
    );
    const admin = container.ports.find((p) => p.name === 'admin');
    expect(admin?.containerPort).to.equal(8081);
    expect(container.readinessProbe.httpGet).to.deep.equal({ path: '/readyz', port: 'admin' });
    expect(container.livenessProbe.httpGet).to.deep.equal({ path: '/healthz', port: 'admin' });
    expect(container.resources.requests.cpu).to.be.a('string');

    const matches = (selector: Record<string, string> | undefined) =>
      Object.entries(selector ?? {}).every(([k, v]) => labels[k] === v);
    const service = byKind('Service')[0]?.spec as {
      selector: Record<string, string>;
      sessionAffinity: string;
    };
    expect(service.sessionAffinity).to.equal('ClientIP');
    expect(matches(service.selector)).to.equal(true);
    const hpa = byKind('HorizontalPodAutoscaler')[0]?.spec as {
      scaleTargetRef: { kind: string; name: string };
      minReplicas: number;
      metrics: Array<{ resource?: { name: string } }>;
    };
    expect(hpa.scaleTargetRef).to.include({ kind: 'Deployment', name: deployment?.metadata?.name });
    expect(hpa.minReplicas).to.be.at.least(2);
    expect(hpa.metrics.map((m) => m.resource?.name)).to.include('cpu');
    const pdb = byKind('PodDisruptionBudget')[0]?.spec as {
      selector: { matchLabels: Record<string, string> };
    };
    expect(matches(pdb.selector.matchLabels)).to.equal(true);
    const policy = byKind('NetworkPolicy')[0]?.spec as {
      podSelector: { matchLabels: Record<string, string> };
    };
    expect(matches(policy.podSelector.matchLabels)).to.equal(true);
  });

  it("the manifests run the package's version of the image, and use it when it is already there", async function () {
    const version = (JSON.parse(await read('package.json')) as { version: string }).version;
    const containers = (await manifests())
      .filter(({ doc }) => doc.kind === 'Deployment')
      .flatMap(({ doc }) => {
        const pod = (doc.spec?.['template'] as { spec: PodSpec }).spec;
        return [...(pod.initContainers ?? []), ...(pod.containers ?? [])] as Array<{
          image?: string;
          imagePullPolicy?: string;
        }>;
      })
      .filter((c) => c.image?.startsWith('scribe-proxy'));
    expect(containers.length).to.be.at.least(2);
    for (const c of containers) {
      expect(c.image).to.equal(`scribe-proxy:${version}`);
      expect(c.imagePullPolicy).to.equal('IfNotPresent');
    }
    const deployment = await read('docs/deployment.md');
    expect(deployment).to.include(`docker build -t scribe-proxy:${version} .`);
  });

  it("the sidecar's NetworkPolicy fences the admin port to the nodes and Prometheus, and leaves every other port open", async function () {
    const policy = (await manifests()).find(
      ({ file, doc }) => file === 'sidecar.yaml' && doc.kind === 'NetworkPolicy',
    )?.doc.spec as Policy;
    const node = nodeAddress(policy);
    const stranger: Source = {
      ip: '192.168.77.9',
      namespace: { 'kubernetes.io/metadata.name': 'default' },
      pod: { app: 'other' },
    };
    expect(admits(policy, { ip: node }, 'TCP', 8081)).to.equal(true);
    expect(admits(policy, prometheus, 'TCP', 8081)).to.equal(true);
    expect(admits(policy, stranger, 'TCP', 8081)).to.equal(false);
    // Another pod in the monitoring namespace is not Prometheus.
    expect(admits(policy, { ...prometheus, pod: { app: 'grafana' } }, 'TCP', 8081)).to.equal(false);
    for (const port of [80, 443, 3000, 8000, 8080, 8443, 9090]) {
      expect(admits(policy, stranger, 'TCP', port), `TCP ${port}`).to.equal(true);
    }
    expect(admits(policy, stranger, 'UDP', 53)).to.equal(true);
  });

  it("the gateway's admin port (probes, /metrics) admits the nodes and Prometheus only", async function () {
    const policy = (await manifests()).find(
      ({ file, doc }) => file === 'gateway.yaml' && doc.kind === 'NetworkPolicy',
    )?.doc.spec as Policy;
    expect(admits(policy, { ip: nodeAddress(policy) }, 'TCP', 8081)).to.equal(true);
    expect(admits(policy, prometheus, 'TCP', 8081)).to.equal(true);
    expect(admits(policy, { ...prometheus, pod: { app: 'grafana' } }, 'TCP', 8081)).to.equal(false);
    const client = {
      namespace: { 'kubernetes.io/metadata.name': 'apps' },
      pod: { 'scribe-gateway-client': 'true' },
    };
    expect(admits(policy, client, 'TCP', 8080)).to.equal(true);
    expect(admits(policy, client, 'TCP', 8081)).to.equal(false);
  });

  it('a PodMonitor and the scrape annotations point Prometheus at /metrics on the admin port', async function () {
    const all = await manifests();
    for (const file of ['sidecar.yaml', 'gateway.yaml']) {
      const deployment = all.find((m) => m.file === file && m.doc.kind === 'Deployment')?.doc;
      const template = deployment?.spec?.['template'] as {
        metadata: { labels: Record<string, string>; annotations?: Record<string, string> };
        spec: { initContainers?: PortedContainer[]; containers?: PortedContainer[] };
      };
      const ports = [
        ...(template.spec.initContainers ?? []),
        ...(template.spec.containers ?? []),
      ].flatMap((c) => c.ports ?? []);
      const admin = ports.find((p) => p.name === 'admin');
      expect(admin?.containerPort, file).to.equal(8081);
      expect(template.metadata.annotations, file).to.include({
        'prometheus.io/scrape': 'true',
        'prometheus.io/port': String(admin?.containerPort),
        'prometheus.io/path': '/metrics',
      });
      const monitor = all.find((m) => m.file === file && m.doc.kind === 'PodMonitor')?.doc.spec as {
        selector: { matchLabels: Record<string, string> };
        podMetricsEndpoints: Array<{ port: string; path: string }>;
      };
      expect(monitor, file).to.not.equal(undefined);
      for (const [k, v] of Object.entries(monitor.selector.matchLabels)) {
        expect(template.metadata.labels[k], file).to.equal(v);
      }
      expect(monitor.podMetricsEndpoints, file).to.deep.include({
        port: 'admin',
        path: '/metrics',
        interval: '30s',
      });
    }
  });

  it('the compose sandbox publishes both ports on the host loopback, 8080/8081 unless chosen, the same inside', async function () {
    const compose = parseYaml(await read('docker-compose.yml')) as {
      services: Record<string, { ports?: string[]; command?: string[] }>;
    };
    const sandbox = compose.services['sandbox'];
    // Compose's interpolation, ${NAME:-default}, as `docker compose` applies it.
    const interpolate = (text: string, env: Record<string, string>) =>
      text.replace(
        /\$\{(\w+):-([^}]*)\}/g,
        (_m, name: string, fallback: string) => env[name] ?? fallback,
      );
    const published = (env: Record<string, string>) =>
      (sandbox?.ports ?? []).map((p) => interpolate(p, env));
    const listens = (env: Record<string, string>) => {
      const args = (sandbox?.command ?? []).map((a) => interpolate(a, env));
      return [args[args.indexOf('--port') + 1], args[args.indexOf('--admin-port') + 1]];
    };
    expect(published({})).to.have.members(['127.0.0.1:8080:8080', '127.0.0.1:8081:8081']);
    expect(listens({})).to.deep.equal(['8080', '8081']);
    const chosen = { SANDBOX_PORT: '9080', SANDBOX_ADMIN_PORT: '9081' };
    expect(published(chosen)).to.have.members(['127.0.0.1:9080:9080', '127.0.0.1:9081:9081']);
    expect(listens(chosen)).to.deep.equal(['9080', '9081']);
  });

  it('every example answers the Host names its clients use, and only those (PROXY_ALLOWED_HOSTS)', async function () {
    const compose = parseAllDocuments(await read('docker-compose.yml'))[0]?.toJS() as {
      services: Record<string, { environment?: Record<string, string> }>;
    };
    const composeHosts = compose.services['scribe-proxy']?.environment?.['PROXY_ALLOWED_HOSTS'];
    expect(composeHosts?.split(',')).to.include('scribe-proxy');
    expect(compose.services['app']?.environment?.['SCRIBE_BASE_URL']).to.equal(
      'http://scribe-proxy:8080',
    );
    const docs = await manifests();
    const envOf = (file: string) => {
      const deployment = docs.find((m) => m.file === file && m.doc.kind === 'Deployment')?.doc;
      const spec = deployment?.spec as { template: { spec: PodSpec } };
      const pod = spec.template.spec as unknown as Record<
        string,
        Array<{ name: string; env?: Array<{ name: string; value?: string }> }> | undefined
      >;
      const container = [...(pod['initContainers'] ?? []), ...(pod['containers'] ?? [])].find(
        (c) => c.name === 'scribe-proxy',
      );
      return Object.fromEntries((container?.env ?? []).map((e) => [e.name, e.value]));
    };
    const gatewayHosts = envOf('gateway.yaml')['PROXY_ALLOWED_HOSTS']?.split(',') ?? [];
    const serviceName = docs.find((m) => m.file === 'gateway.yaml' && m.doc.kind === 'Service')?.doc
      .metadata?.name;
    const ingress = docs.find((m) => m.file === 'gateway.yaml' && m.doc.kind === 'Ingress')?.doc
      .spec as { rules: Array<{ host: string }> };
    expect(gatewayHosts).to.include.members([
      serviceName ?? '-',
      ...ingress.rules.map((r) => r.host),
    ]);
    expect(envOf('sidecar.yaml')['PROXY_ALLOWED_HOSTS']).to.equal('localhost');
    // The admin listener binds 0.0.0.0 in both: its Host rule is said, and its probes use only
    // the routes that answer any Host (the kubelet sends the pod's address).
    for (const file of ['gateway.yaml', 'sidecar.yaml']) {
      expect(envOf(file), file).to.have.property('ADMIN_ALLOWED_HOSTS');
      const deployment = docs.find((m) => m.file === file && m.doc.kind === 'Deployment')?.doc;
      const text = JSON.stringify(deployment);
      const probed = [...text.matchAll(/"path":"([^"]+)"/g)].map((m) => m[1]);
      expect(probed.length, file).to.be.greaterThan(0);
      for (const path of probed) expect(['/healthz', '/readyz'], file).to.include(path);
    }
  });

  it('the image runs the Node LTS that CI tests on, pinned to an exact version', async function () {
    const tested = /^NODE_LTS=(\d+\.\d+\.\d+)$/m.exec(await read('.ci/run'))?.[1];
    expect(tested).to.be.a('string');
    const images = [...(await read('Dockerfile')).matchAll(/^FROM node:(\S+)/gm)].map((m) => m[1]);
    expect(images.length).to.be.greaterThan(0);
    for (const image of images) expect(image).to.match(new RegExp(`^${tested}-`));
  });

  it("the image's installs skip the `prepare` build: the source is not there yet", async function () {
    const lock = JSON.parse(await read('package-lock.json')) as {
      packages: Record<string, { hasInstallScript?: boolean; dev?: boolean }>;
    };
    // Safe only while no dependency needs its install script: none in production, and in the
    // build stage only aws-sdk's (cognito-local's), which prints a maintenance-mode notice, and
    // esbuild's, which checks that its platform binary (an optional dependency, installed with or
    // without scripts) is there.
    const scripted = Object.entries(lock.packages)
      .filter(([, p]) => p.hasInstallScript)
      .map(([path, p]) => `${path}${p.dev ? ' (dev)' : ''}`);
    expect(scripted).to.deep.equal(['node_modules/aws-sdk (dev)', 'node_modules/esbuild (dev)']);
    const installs = [...(await read('Dockerfile')).matchAll(/^RUN (npm (?:ci|install)\b.*)$/gm)];
    expect(installs.length).to.be.greaterThan(0);
    for (const m of installs) expect(m[1]).to.include('--ignore-scripts');
  });

  it('no pod gets a service account token: the proxy never calls the Kubernetes API', async function () {
    const deployments = (await manifests()).filter(({ doc }) => doc.kind === 'Deployment');
    expect(deployments.length).to.equal(2);
    for (const { file, doc } of deployments) {
      const pod = (doc.spec?.['template'] as { spec: { automountServiceAccountToken?: boolean } })
        .spec;
      expect(pod.automountServiceAccountToken, file).to.equal(false);
    }
  });

  it('the compose service runs read-only, with no capabilities and no privilege gain', async function () {
    const compose = parseYaml(await read('docker-compose.yml')) as {
      services: Record<string, Record<string, unknown>>;
    };
    const proxy = compose.services['scribe-proxy'] ?? {};
    expect(proxy['read_only']).to.equal(true);
    expect(proxy['cap_drop']).to.deep.equal(['ALL']);
    expect(proxy['security_opt']).to.deep.equal(['no-new-privileges:true']);
    // What it writes (its session file) lives in a volume; nothing else needs a writable root.
    const volumes = (proxy['volumes'] as string[] | undefined) ?? [];
    expect(volumes.some((v) => v.endsWith(':/data'))).to.equal(true);
  });

  it('secrets reach the proxy as files (*_FILE), never as environment variables', async function () {
    const secretVariables = Object.keys(secretFileVariables);
    for (const { file, doc } of await manifests()) {
      if (doc.kind === 'Secret') {
        const data = (doc as unknown as { stringData: Record<string, string> }).stringData;
        expect(Object.keys(data).length, file).to.be.greaterThan(0);
        for (const key of Object.keys(data)) expect(secretVariables, file).to.include(key);
        continue;
      }
      if (doc.kind !== 'Deployment') continue;
      const pod = (doc.spec?.['template'] as { spec: Record<string, unknown> }).spec as {
        volumes?: Array<{ name: string; secret?: { secretName: string } }>;
        initContainers?: ProxyContainer[];
        containers?: ProxyContainer[];
      };
      const proxy = [...(pod.initContainers ?? []), ...(pod.containers ?? [])].find(
        (c) => c.name === 'scribe-proxy',
      );
      expect(proxy, file).to.not.equal(undefined);
      expect(
        proxy?.envFrom?.some((e) => e.secretRef),
        file,
      ).to.not.equal(true);
      const env = proxy?.env ?? [];
      for (const name of secretVariables) {
        expect(
          env.map((e) => e.name),
          file,
        ).to.not.include(name);
      }
      // The secrets' file forms (TLS files and the session file live elsewhere).
      const fileForms: string[] = Object.values(secretFileVariables);
      const files = env.filter((e) => fileForms.includes(e.name));
      expect(
        files.map((e) => e.name),
        file,
      ).to.include('ADMIN_TOKEN_FILE');
      const secretVolume = pod.volumes?.find((v) => v.secret);
      const mount = proxy?.volumeMounts?.find((m) => m.name === secretVolume?.name);
      expect(mount?.readOnly, file).to.equal(true);
      for (const { value } of files)
        expect(value?.startsWith(`${mount?.mountPath}/`)).to.equal(true);
    }
    const compose = parseYaml(await read('docker-compose.yml')) as {
      services: Record<string, { environment?: Record<string, string>; secrets?: string[] }>;
      secrets?: Record<string, { file: string }>;
    };
    const proxy = compose.services['scribe-proxy'];
    for (const [name, value] of Object.entries(proxy?.environment ?? {})) {
      expect(secretVariables).to.not.include(name);
      if (name.endsWith('_FILE') && name !== 'SCRIBE_SESSION_FILE') {
        const secret = value.replace('/run/secrets/', '');
        expect(proxy?.secrets).to.include(secret);
        expect(compose.secrets?.[secret]?.file).to.be.a('string');
      }
    }
    expect(Object.keys(proxy?.environment ?? {})).to.include.members([
      'SCRIBE_PASSWORD_FILE',
      'ADMIN_TOKEN_FILE',
      'PROXY_CLIENT_TOKEN_FILE',
    ]);
  });

  it('the runtime image has no npm (nor npx, corepack or yarn) to run', async function () {
    const dockerfile = await read('Dockerfile');
    const stages = dockerfile.split(/^(?=FROM )/m);
    const runtime = stages.find((s) => /^FROM \S+ AS runtime$/m.test(s));
    expect(runtime).to.be.a('string');
    expect(runtime).to.match(
      /rm -rf [^\n]*\/usr\/local\/lib\/node_modules\/npm[^\n]*\/usr\/local\/bin\/npx/,
    );
    // Dependencies come from the build stage, installed there without dev dependencies.
    expect(runtime).to.not.match(/^RUN npm /m);
  });

  it('.dockerignore keeps secrets and local installs out of every build context', async function () {
    const lines = (await read('.dockerignore')).split('\n').map((l) => l.trim());
    for (const entry of ['.env', 'node_modules', 'dist', '.git']) expect(lines).to.include(entry);
  });
});
