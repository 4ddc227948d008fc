import { expect } from 'chai';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { isLoopback, loadConfig } from '../src/config/index.js';
import { dockerRunFlags, envFile, imageEnvironment } from './support/containerEnvironment.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const read = (path: string) => readFile(`${root}${path}`, 'utf8');

/** .env.example as a user fills it in: the values Scribe support gives, nothing else changed. */
async function filledEnvFile(withPassword = true): Promise<Record<string, string>> {
  const filled: Record<string, string> = {
    SCRIBE_CLIENT_ID: 'abc123clientid',
    SCRIBE_USER_POOL_ID: 'eu-west-2_AbCdEf123',
    SCRIBE_IDENTITY_POOL_ID: 'eu-west-2:11111111-2222-3333-4444-555555555555',
    SCRIBE_USERNAME: 'me@example.com',
    ...(withPassword ? { SCRIBE_PASSWORD: 'a-Passw0rd!' } : {}),
  };
  const text = (await read('.env.example')).replace(
    /^([A-Z][A-Z0-9_]*)=$/gm,
    (line, name: string) => (filled[name] ? `${name}=${filled[name]}` : line),
  );
  return envFile(text);
}

describe('the container, configured as the docs say (no Docker engine needed)', function () {
  it('docker run --env-file .env (from .env.example) listens beyond the container loopback, on the published port', async function () {
    const deployment = await read('docs/deployment.md');
    const line = deployment.split('\n').find((l) => l.startsWith('docker run '));
    expect(line, 'docs/deployment.md has a docker run line').to.be.a('string');
    expect(line).to.include('--env-file .env');
    const flags = dockerRunFlags(line as string);
    for (const [name, value] of Object.entries(flags.env)) {
      if (value === '...') flags.env[name] = 'a-client-token-of-32-characters!';
    }
    const image = imageEnvironment(await read('Dockerfile'), 'runtime');
    const env = { ...image, ...(await filledEnvFile()), ...flags.env };

    const config = loadConfig(env);
    expect(isLoopback(config.proxyHost), `PROXY_HOST=${config.proxyHost}`).to.equal(false);
    expect(config.proxyHost).to.equal('0.0.0.0');
    expect(flags.ports).to.deep.equal([config.proxyPort]);
    // Beyond loopback the proxy wants its client token, and the documented command passes one.
    expect(config.proxyClientToken).to.be.a('string');
  });

  it('.env.example sets nothing the image sets differently', async function () {
    const image = imageEnvironment(await read('Dockerfile'), 'runtime');
    const example = await filledEnvFile();
    const overridden = Object.keys(image).filter(
      (name) => example[name] !== undefined && example[name] !== image[name],
    );
    expect(overridden).to.deep.equal([]);
  });

  it('compose (environment over env_file over the image) listens beyond the container loopback', async function () {
    const compose = parse(await read('docker-compose.yml')) as {
      services: Record<
        string,
        { environment?: Record<string, string>; build?: { target?: string } }
      >;
    };
    const service = compose.services['scribe-proxy'];
    const image = imageEnvironment(await read('Dockerfile'), service?.build?.target ?? 'runtime');
    // The secrets come as files (compose's secrets, mounted under /run/secrets), as its header
    // says: made here in a temp dir standing for that mount.
    const secrets = await mkdtemp(join(tmpdir(), 'compose-secrets-'));
    try {
      const environment = { ...(service?.environment ?? {}) };
      for (const [name, value] of Object.entries(environment)) {
        if (!value.startsWith('/run/secrets/')) continue;
        const file = join(secrets, value.slice('/run/secrets/'.length));
        await writeFile(file, 'a-secret-of-32-characters-or-so!\n');
        environment[name] = file;
      }
      const env = { ...image, ...(await filledEnvFile(false)), ...environment };
      const config = loadConfig(env);
      expect(config.proxyHost).to.equal('0.0.0.0');
      expect(config.password).to.be.a('string');
    } finally {
      await rm(secrets, { recursive: true, force: true });
    }
  });

  it('reads an env file as Docker does: verbatim values, comments skipped, bare names from the host', function () {
    expect(envFile('# c\nA=1\n#B=2\nC="q"\nD\nE\n', { D: 'host' })).to.deep.equal({
      A: '1',
      C: '"q"',
      D: 'host',
    });
  });
});
