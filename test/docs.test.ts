import { expect } from 'chai';
import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { configVariables } from '../src/config/index.js';
import { configReference } from '../src/config/reference.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const read = (path: string) => readFile(`${root}${path}`, 'utf8');
const sorted = (names: Iterable<string>) => [...new Set(names)].sort();

describe('the docs match the configuration', function () {
  let readByConfig: string[];

  before(async function () {
    // The configuration's code: the files of src/config that read and check its groups (the
    // reference and the problem wording are checked against them, not read).
    const files = (await readdir(`${root}src/config`)).filter(
      (f) => f.endsWith('.ts') && !['reference.ts', 'problems.ts'].includes(f),
    );
    const source = (await Promise.all(files.map((f) => read(`src/config/${f}`)))).join('\n');
    // Every variable name the configuration's code mentions as a string literal.
    readByConfig = sorted(
      [
        ...source.matchAll(
          /'((?:SCRIBE|PROXY|ADMIN|UPSTREAM|REFRESH|LOG|SHUTDOWN|TLS|COGNITO)_[A-Z_]+|HTTPS?_PROXY|NO_PROXY)'/g,
        ),
      ].map((m) => m[1] as string),
    );
  });

  it('configVariables lists exactly the variables the configuration reads', function () {
    expect(sorted(configVariables)).to.deep.equal(readByConfig);
  });

  it('.env.example has every variable, and no other', async function () {
    const text = await read('.env.example');
    // A setting may be shown commented out with its default (`#PROXY_HOST=127.0.0.1`).
    const names = [...text.matchAll(/^#?([A-Z][A-Z0-9_]*)=/gm)].map((m) => m[1] as string);
    expect(sorted(names)).to.deep.equal(readByConfig);
  });

  it("docs/configuration.md's table has every variable, and no other", async function () {
    const text = await read('docs/configuration.md');
    const table = text.slice(0, text.indexOf('## The session file'));
    const names = [...table.matchAll(/^\| `([A-Z][A-Z0-9_]*)`\s*\|/gm)].map((m) => m[1] as string);
    expect(sorted(names)).to.deep.equal(readByConfig);
  });
});

describe('docs/configuration.md is the configuration reference', function () {
  it('says for each variable what src/config/reference.ts says: meaning and default', async function () {
    const text = await read('docs/configuration.md');
    const rows = [...text.matchAll(/^\| `([A-Z][A-Z0-9_]*)`\s*\| (.*?)\s*\| (.*?)\s*\|$/gm)].map(
      (m) => ({ name: m[1], meaning: m[2], default: m[3] }),
    );
    expect(rows).to.deep.equal(
      configReference.map((s) => ({ name: s.name, meaning: s.meaning, default: s.default })),
    );
  });
});

describe('the README is one page that leads to the docs', function () {
  it('has the two quick-start commands', async function () {
    const text = await read('README.md');
    expect(text).to.include('npm install && npm run sandbox');
    expect(text).to.include('npm test');
  });

  it('stays under 16 KB', async function () {
    const text = await read('README.md');
    expect(Buffer.byteLength(text)).to.be.lessThan(16 * 1024);
  });

  it('links to every page in docs/, and every link it has resolves', async function () {
    const text = await read('README.md');
    const pages = (await readdir(`${root}docs`)).filter((f) => f.endsWith('.md')).sort();
    expect(pages.length).to.be.greaterThan(5);
    const linked = [...text.matchAll(/\]\((docs\/[^)#]+)(?:#[^)]*)?\)/g)].map(
      (m) => m[1] as string,
    );
    const linkedPages = linked.filter((l) => l.endsWith('.md'));
    expect(sorted(linkedPages.map((l) => l.slice('docs/'.length)))).to.deep.equal(pages);
    // Everything else it links (the console's screenshot) is there too.
    for (const file of linked) await readFile(`${root}${file}`);
  });

  it("never tells anyone to run npx scribe-proxy (it could fetch a stranger's package)", async function () {
    const pages = (await readdir(`${root}docs`)).filter((f) => f.endsWith('.md'));
    for (const page of ['README.md', ...pages.map((p) => `docs/${p}`)]) {
      const text = await read(page);
      const runs = text
        .split('\n')
        .filter((l) => /npx scribe-proxy/.test(l) && !/never|not use/i.test(l));
      expect(runs, page).to.deep.equal([]);
    }
  });

  it('links between docs pages resolve', async function () {
    const pages = (await readdir(`${root}docs`)).filter((f) => f.endsWith('.md'));
    for (const page of pages) {
      const text = await read(`docs/${page}`);
      for (const m of text.matchAll(/\]\(([a-z-]+\.md)(?:#[^)]*)?\)/g)) {
        expect(pages, `docs/${page} links to ${m[1]}`).to.include(m[1]);
      }
    }
  });
});

describe("docs/proxy.md's table of the proxy's own errors", function () {
  it('lists every error the proxy answers with, under its status', async function () {
    const files = (await readdir(`${root}src/proxy`))
      .filter((f) => f.endsWith('.ts'))
      .map((f) => `src/proxy/${f}`);
    const sources = await Promise.all(
      [...files, 'src/server/hardenedServer.ts', 'src/server/refusePlainHttp.ts'].map(read),
    );
    const source = sources.join('\n');
    const made = [
      ...source.matchAll(/new ProxyError\(\s*(\d{3}),\s*'([a-z_]+)'/g),
      ...source.matchAll(/rawError\(\s*socket,\s*(\d{3}),\s*'[^']*',\s*'([a-z_]+)'/g),
      // Answers kept in a table: { status: 403, code: 'mfa_required', ... }.
      ...source.matchAll(/status: (\d{3}),\s*code: '([a-z_]+)'/g),
    ].map((m) => `${m[1]} ${m[2]}`);
    // Answers nobody reads: the client has already gone.
    const unread = new Set(['400 client_aborted', '499 client_closed']);
    const answered = sorted(made.filter((e) => !unread.has(e)));
    expect(answered.length).to.be.greaterThan(8);

    const text = await read('docs/proxy.md');
    const section = text.slice(
      text.indexOf('## Errors the proxy makes itself'),
      text.indexOf('## Logs'),
    );
    const documented = [...section.matchAll(/^\| (\d{3}) +\| ([^|]+)\|/gm)].flatMap((m) =>
      [...(m[2] as string).matchAll(/`([a-z_]+)`/g)].map((c) => `${m[1]} ${c[1]}`),
    );
    expect(sorted(documented)).to.include.members(answered);
  });
});

describe("docs/faults.md's table", function () {
  it('names only codes the proxy really answers or logs, and every fault answer it makes', async function () {
    const files = (await readdir(`${root}src/proxy`))
      .filter((f) => f.endsWith('.ts'))
      .map((f) => `src/proxy/${f}`);
    const source = (
      await Promise.all(
        [...files, 'src/server/hardenedServer.ts', 'src/server/refusePlainHttp.ts'].map(read),
      )
    ).join('\n');
    const answered = [
      ...source.matchAll(/new ProxyError\(\s*(\d{3}),\s*'([a-z_]+)'/g),
      ...source.matchAll(/rawError\(\s*socket,\s*(\d{3}),\s*'[^']*',\s*'([a-z_]+)'/g),
      // Answers kept in a table: { status: 403, code: 'mfa_required', ... }.
      ...source.matchAll(/status: (\d{3}),\s*code: '([a-z_]+)'/g),
    ].map((m) => ({ status: Number(m[1]), code: m[2] as string }));
    const logged = [...source.matchAll(/brokenBy \?*= '([a-z_]+)'/g)].map((m) => m[1] as string);
    const known = new Set([...answered.map((a) => a.code), ...logged]);

    const section = await read('docs/faults.md');
    const rows = section
      .split('\n')
      .filter((line) => /^\| [^-]/.test(line))
      .slice(1);
    expect(rows.length).to.be.greaterThan(8);
    // Codes are snake_case words; a one-word code (`overloaded`) counts when the proxy makes it
    // (one-word names there are otherwise states: `degraded`).
    const named = sorted(
      rows.flatMap((row) =>
        [...row.matchAll(/`([a-z]+(?:_[a-z]+)*)`/g)]
          .map((m) => m[1] as string)
          .filter((name) => name.includes('_') || known.has(name)),
      ),
    );
    for (const code of named) expect(known, `docs/faults.md names ${code}`).to.include(code);
    // Every answer a fault produces (timeouts, unreachable, no session, shutdown, client gone).
    const faultAnswers = answered
      .filter((a) => [408, 499, 502, 503, 504].includes(a.status))
      .map((a) => a.code);
    expect(named).to.include.members(sorted([...faultAnswers, ...logged]));
  });
});
