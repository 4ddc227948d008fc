import { expect } from 'chai';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isChallenge, ScribeAuth } from '../../src/index.js';
import { call } from '../support/http.js';
import { World } from '../support/world.js';

describe('a proxy starting from its session file', function () {
  this.timeout(60_000);
  let world: World;
  let dir: string;

  before(async function () {
    world = await World.start();
    await world.cognito.createUser(world.pool, 'someone-else', 'Someone-Else-Passw0rd!');
    dir = await mkdtemp(join(tmpdir(), 'scribe-start-'));
  });
  after(async function () {
    await world?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('damaged, with a password configured: warns naming the file and serves with the password', async function () {
    const file = join(dir, 'damaged.json');
    await writeFile(file, '', { mode: 0o600 });
    const { service, logs } = await world.proxy({ SCRIBE_SESSION_FILE: file });
    expect(service.session?.state).to.equal('ready');
    expect((await call(service.proxyUrl, { path: '/x' })).status).to.equal(200);
    const warning = logs.records().find((r) => r['event'] === 'session-file-damaged');
    expect(warning?.['msg']).to.include(file);
    await service.close(1000);
  });

  it("holding another account's token than SCRIBE_USERNAME: refused at start, naming both", async function () {
    const auth = new ScribeAuth({
      clientId: world.pool.clientId,
      endpoints: { cognitoIdentityProvider: world.cognito.endpoint },
    });
    const tokens = await auth.getTokens({
      username: 'someone-else',
      password: 'Someone-Else-Passw0rd!',
    });
    auth.destroy();
    if (isChallenge(tokens)) throw new Error('unexpected challenge');
    const other = tokens.refreshToken;
    const file = join(dir, 'other.json');
    // What `scribe-proxy login --refresh-token` leaves: no username, only the token.
    await writeFile(file, JSON.stringify({ refreshToken: other }), { mode: 0o600 });
    const started = world.proxy({ SCRIBE_SESSION_FILE: file, SCRIBE_PASSWORD: undefined });
    const err = await started.then(
      () => expect.fail('the proxy started with another account'),
      (e: Error) => e,
    );
    expect(err.message).to.include(file).and.include('someone-else').and.include(world.username);
  });
});
