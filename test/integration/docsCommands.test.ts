import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { sandboxBanner } from '../../src/cli/commands/sandboxBanner.js';
import { startSandbox, type Sandbox } from '../support/sandbox.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const run = promisify(execFile);

interface DocCommand {
  page: string;
  /** Shell lines that set variables for the block's commands (`A="..."; ADMIN=...`). */
  prelude: string[];
  line: string;
}

/**
 * Every curl command in a ```sh block of the README and docs/, with its block's variables. A block
 * that needs more than the plain sandbox (TLS, say) is skipped only when an HTML comment right
 * above it says why: `<!-- not run against the sandbox: needs PROXY_TLS_CERT_FILE -->`.
 */
async function documentedCurls(): Promise<DocCommand[]> {
  const pages = [
    'README.md',
    ...(await readdir(`${root}docs`)).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`),
  ];
  const found: DocCommand[] = [];
  for (const page of pages) {
    const text = await readFile(`${root}${page}`, 'utf8');
    // Variables set in a block hold for the page's later blocks too, as in one shell.
    const prelude: string[] = [];
    for (const block of text.matchAll(
      /(<!-- not run against the sandbox: [^>]+-->\n)?^```sh\n([\s\S]*?)^```/gm,
    )) {
      if (block[1]) continue;
      const lines = (block[2] as string).split('\n').map((l) => l.trim());
      prelude.push(...lines.filter((l) => /^[A-Z]+=/.test(l)));
      for (const line of lines.filter((l) => l.startsWith('curl '))) {
        found.push({ page, prelude: [...prelude], line });
      }
    }
  }
  return found;
}

/** The command without its trailing comment (two spaces, then `#`). */
const withoutComment = (line: string) => line.replace(/\s{2,}#.*$/, '').trim();

/** Run one documented command in `sh`, in the sandbox's world; the status and the body. */
async function runInSandbox(
  command: DocCommand,
  sandbox: Sandbox,
): Promise<{ status: number; body: string; target: 'proxy' | 'admin' }> {
  const { proxyUrl, adminUrl } = sandbox.service;
  const user = sandbox.users[0] as { username: string; password: string };
  // The docs' placeholders, as the sandbox has them.
  const curl = withoutComment(command.line).replace(/^curl /, 'curl -sS -w "\\n%{http_code}" ');
  const script = [...command.prelude, curl]
    .join('\n')
    .replaceAll('http://127.0.0.1:8080', proxyUrl)
    .replaceAll('http://127.0.0.1:8081', adminUrl)
    .replaceAll('me@example.com', user.username)
    .replaceAll('my-password', user.password)
    .replaceAll('"..."', JSON.stringify(user.password));
  const target = script.includes(adminUrl) || script.includes('$ADMIN') ? 'admin' : 'proxy';
  const { stdout } = await run('sh', ['-c', script], {
    // The sandbox is on loopback: a proxy in this machine's environment (http_proxy, which curl
    // obeys) must not carry the documented requests off to itself.
    env: { ...process.env, NO_PROXY: '*', no_proxy: '*', ADMIN_TOKEN: sandbox.adminToken },
    timeout: 30_000,
  }).catch((err: { stdout?: string; stderr?: string }) => {
    throw new Error(`${command.page}: ${command.line}\n${err.stderr ?? ''}`);
  });
  const at = stdout.lastIndexOf('\n');
  return { status: Number(stdout.slice(at + 1)), body: stdout.slice(0, at), target };
}

/** What a documented command may not get: a route or body the docs got wrong. */
function docMistake(result: { status: number; body: string; target: string }): string | null {
  if (result.target === 'proxy') {
    if (result.status !== 200) return `status ${result.status}`;
    const echo = JSON.parse(result.body) as { verified?: boolean; url?: string };
    if (echo.verified !== true) return 'not verified upstream';
    if (/\/v[12]\/v[12]\//.test(echo.url ?? '')) return `arrived at ${echo.url}`;
    return null;
  }
  let code = '';
  try {
    code = (JSON.parse(result.body) as { error?: { code?: string } }).error?.code ?? '';
  } catch {
    // Not JSON: /metrics and the like.
  }
  const wrong = [
    'unauthorized',
    'unsupported_media_type',
    'invalid_body',
    'invalid_json',
    'invalid_query',
    'per_client_mode',
    'shared_mode',
  ];
  if (wrong.includes(code)) return `${result.status} ${code}`;
  if (result.status === 404 && /no such/.test(result.body)) return `404: ${result.body}`;
  if (result.status === 405) return '405';
  return null;
}

describe('every curl in the README and docs/ works against the sandbox', function () {
  this.timeout(180_000);
  let shared: Sandbox;
  let perClient: Sandbox;
  let commands: DocCommand[];

  before(async function () {
    commands = await documentedCurls();
    const common = {
      host: '127.0.0.1',
      port: 0,
      adminPort: 0,
      mode: 'sigv4' as const,
      temporaryPassword: false,
      logLevel: 'silent',
      progress: () => undefined,
    };
    shared = await startSandbox({ ...common, sessions: 'shared' });
    perClient = await startSandbox({ ...common, sessions: 'per-client' });
  });

  after(async function () {
    await shared?.stop();
    await perClient?.stop();
  });

  it('finds the documented commands', function () {
    expect(commands.length).to.be.greaterThan(10);
    expect(commands.some((c) => c.line.includes('-u '))).to.equal(true);
  });

  it('quotes every URL with a query (zsh reads an unquoted ? as a wildcard)', function () {
    const unquoted = commands.filter((c) => /\s(?:http|\$ADMIN)[^\s'"]*\?/.test(c.line));
    expect(unquoted.map((c) => `${c.page}: ${c.line}`)).to.deep.equal([]);
  });

  it('runs each as documented: proxied requests arrive signed at the right path, admin calls reach their route', async function () {
    const mistakes: string[] = [];
    for (const command of commands) {
      const gateway = /-u |\/admin\/sessions/.test(command.line);
      const result = await runInSandbox(command, gateway ? perClient : shared);
      const mistake = docMistake(result);
      if (mistake) mistakes.push(`${command.page}: ${command.line}\n  -> ${mistake}`);
    }
    expect(mistakes).to.deep.equal([]);
  });

  it("the per-client sandbox's printed curl -u lines work, one per user", async function () {
    const banner = sandboxBanner(perClient, { seconds: 1, mode: 'sigv4', firstLogin: false });
    const lines = banner
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l.startsWith('curl -u '));
    expect(lines).to.have.length(3);
    const seen = new Set<string>();
    for (const line of lines) {
      const result = await runInSandbox({ page: 'banner', prelude: [], line }, perClient);
      expect(docMistake(result), line).to.equal(null);
      seen.add(/-u '([^:]+):/.exec(line)?.[1] ?? '');
    }
    expect(seen.size).to.equal(3);
    const list = await runInSandbox(
      {
        page: 'banner',
        prelude: [],
        line: banner
          .split('\n')
          .map((l) => l.trim())
          .find((l) => l.includes('/admin/sessions')) as string,
      },
      perClient,
    );
    expect(list.status).to.equal(200);
    expect(list.body).to.include('ada').and.include('grace').and.include('alan');
  });
});
