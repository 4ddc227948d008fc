import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { configReference } from '../src/config/reference.js';
import { secretFileVariables } from '../src/config/index.js';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../../', import.meta.url));
const unitPath = join(root, 'deploy/systemd/scribe-proxy.service');

/** The unit's settings, name to every value given (a setting may repeat). */
function settings(unit: string): Map<string, string[]> {
  const found = new Map<string, string[]>();
  for (const line of unit.split('\n')) {
    const m = /^([A-Za-z]+)=(.*)$/.exec(line.trim());
    if (!m) continue;
    found.set(m[1] as string, [...(found.get(m[1] as string) ?? []), m[2] as string]);
  }
  return found;
}

describe('the systemd unit (deploy/systemd)', function () {
  this.timeout(30_000);
  let unit: string;
  before(async function () {
    unit = await readFile(unitPath, 'utf8');
  });

  it('passes systemd-analyze verify with no warning', async function () {
    try {
      await run('systemd-analyze', ['--version']);
    } catch {
      if (process.env['CI'])
        throw new Error('systemd-analyze is missing: .ci/run installs systemd');
      this.skip();
    }
    const dir = await mkdtemp(join(tmpdir(), 'scribe-unit-'));
    try {
      // verify also checks that ExecStart's program exists: the installed command is not on this
      // machine, so only its path is replaced, by an executable stand-in.
      const command = join(dir, 'scribe-proxy');
      await writeFile(command, '#!/bin/sh\n');
      await chmod(command, 0o755);
      const copy = join(dir, 'scribe-proxy.service');
      const execStart = /^ExecStart=(\S+) /m.exec(unit)?.[1];
      expect(execStart).to.equal('/usr/local/bin/scribe-proxy');
      await writeFile(copy, unit.replace(`ExecStart=${execStart} `, `ExecStart=${command} `));
      const { stderr } = await run('systemd-analyze', ['verify', '--man=no', copy]);
      // systemd ignores a setting it cannot parse, with a warning: each is a hardening lost.
      expect(stderr.trim()).to.equal('');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('runs as its own user with the usual hardening, restarting on failure', function () {
    const s = settings(unit);
    const one = (name: string) => s.get(name)?.at(-1);
    expect(one('DynamicUser')).to.equal('yes');
    expect(one('NoNewPrivileges')).to.equal('yes');
    expect(one('ProtectSystem')).to.equal('strict');
    expect(one('ProtectHome')).to.equal('yes');
    expect(one('PrivateTmp')).to.equal('yes');
    expect(one('CapabilityBoundingSet')).to.equal('');
    expect(one('Restart')).to.equal('on-failure');
    expect(one('ExecStart')).to.equal('/usr/local/bin/scribe-proxy serve');
    // Its drain (SHUTDOWN_GRACE_S) fits in the time systemd gives it before SIGKILL.
    const grace = Number(
      configReference.find((c) => c.name === 'SHUTDOWN_GRACE_S')?.default.replaceAll('`', ''),
    );
    expect(Number(one('TimeoutStopSec'))).to.be.greaterThan(grace);
    // Both listeners' connection caps fit in its file limit, with room for the upstream pool.
    const cap = (name: string) =>
      Number(configReference.find((c) => c.name === name)?.default.replaceAll('`', ''));
    expect(Number(one('LimitNOFILE'))).to.be.greaterThan(
      cap('PROXY_MAX_CONNECTIONS') + cap('ADMIN_MAX_CONNECTIONS') + 256,
    );
  });

  it('hands every secret over as a credential file (LoadCredential=, *_FILE), never in the environment', function () {
    const s = settings(unit);
    const environment = new Map(
      (s.get('Environment') ?? []).map((e) => e.split('=', 2) as [string, string]),
    );
    const known = new Set(configReference.map((c) => c.name));
    for (const name of environment.keys()) expect(known, name).to.include(name);
    for (const secret of Object.keys(secretFileVariables)) {
      expect([...environment.keys()]).to.not.include(secret);
    }
    const credentials = (s.get('LoadCredential') ?? []).map((c) => c.split(':')[0]);
    expect(credentials.length).to.be.greaterThan(0);
    const fileVariables: string[] = Object.values(secretFileVariables);
    for (const credential of credentials) {
      const reader = [...environment].find(([, value]) => value === `%d/${credential}`);
      expect(reader, `the variable reading ${credential}`).to.not.equal(undefined);
      expect(fileVariables).to.include(reader?.[0]);
    }
    expect(environment.get('SCRIBE_SESSION_FILE')).to.match(/^%S\/scribe-proxy\//);
    expect(s.get('StateDirectory')).to.deep.equal(['scribe-proxy']);
  });

  it('its example settings file names only known variables, and none the unit sets (the file would win)', async function () {
    const file = await readFile(join(root, 'deploy/systemd/scribe-proxy.env'), 'utf8');
    const names = [...file.matchAll(/^#?\s*([A-Z][A-Z0-9_]*)=/gm)].map((m) => m[1] as string);
    expect(names.length).to.be.greaterThan(3);
    const known = new Set(configReference.map((c) => c.name));
    const setByUnit = (settings(unit).get('Environment') ?? []).map((e) => e.split('=')[0]);
    for (const name of names) {
      expect(known, name).to.include(name);
      expect(setByUnit, name).to.not.include(name);
      expect(Object.keys(secretFileVariables), name).to.not.include(name);
    }
    expect(settings(unit).get('EnvironmentFile')).to.deep.equal([
      '/etc/scribe-proxy/scribe-proxy.env',
    ]);
  });
});
