import { expect } from 'chai';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { configVariables } from '../src/config.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const read = (path: string) => readFile(`${root}${path}`, 'utf8');
const sorted = (names: Iterable<string>) => [...new Set(names)].sort();

describe('the docs match the configuration', function () {
  let readByConfig: string[];

  before(async function () {
    const source = await read('src/config.ts');
    // Every variable name config.ts mentions as a string literal.
    readByConfig = sorted(
      [...source.matchAll(/'((?:SCRIBE|PROXY|ADMIN|UPSTREAM|REFRESH|LOG)_[A-Z_]+)'/g)].map(
        (m) => m[1] as string,
      ),
    );
  });

  it('config.ts lists exactly the variables it reads', function () {
    expect(sorted(configVariables)).to.deep.equal(readByConfig);
  });

  it('.env.example has every variable, and no other', async function () {
    const text = await read('.env.example');
    const names = [...text.matchAll(/^([A-Z][A-Z0-9_]*)=/gm)].map((m) => m[1] as string);
    expect(sorted(names)).to.deep.equal(readByConfig);
  });

  it("the README's configuration table has every variable, and no other", async function () {
    const text = await read('README.md');
    const table = text.slice(text.indexOf('### Configuration'));
    const names = [...table.matchAll(/^\| `([A-Z][A-Z0-9_]*)`\s*\|/gm)].map((m) => m[1] as string);
    expect(sorted(names)).to.deep.equal(readByConfig);
  });

  it('the README quick start is the two commands', async function () {
    const text = await read('README.md');
    expect(text).to.include('npm install && npm run sandbox');
    expect(text).to.include('npm test');
  });
});
