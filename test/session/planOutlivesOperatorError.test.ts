import { expect } from 'chai';
import { setTimeout as sleep } from 'node:timers/promises';
import { Session } from '../../src/session/index.js';
import { World } from '../support/world.js';

/** Poll `check` until it holds or `ms` pass (generous: the machine may be loaded). */
async function eventually(check: () => boolean, ms: number): Promise<boolean> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (check()) return true;
    await sleep(100);
  }
  return check();
}

describe('session: the planned refresh outlives an operator action that fails', function () {
  this.timeout(60_000);
  let world: World;

  before(async function () {
    // Credentials for 12 s: the plan falls 6 s after they were issued (half the lifetime).
    world = await World.start({ credentialSeconds: 12 });
  });
  after(async function () {
    await world?.stop();
  });

  it('the refresh planned while an action ran (and failed) is still made, and the status says when', async function () {
    const auth = world.auth();
    const session = new Session({
      auth,
      mode: 'sigv4',
      username: world.username,
      password: world.password,
      refreshMarginS: 300,
    });
    try {
      await session.start();
      const planned = Date.parse(session.status().nextRefreshAt ?? '');
      expect(planned).to.be.greaterThan(Date.now());
      const before = world.emulator.calls.GetCredentialsForIdentity;
      // An operator's job (an MFA code checked at Cognito, say) still running when the planned
      // refresh falls due, then failing: it changes nothing, and must not cancel the plan.
      const failed = await session
        .act(async () => {
          await sleep(planned - Date.now() + 500);
          throw new Error('the operator gave a wrong code');
        })
        .then(
          () => undefined,
          (err: Error) => err,
        );
      expect(failed?.message).to.equal('the operator gave a wrong code');
      const next = Date.parse(session.status().nextRefreshAt ?? '');
      expect(next, 'the status plans a refresh still to come').to.be.at.least(Date.now());
      const refreshed = await eventually(
        () => world.emulator.calls.GetCredentialsForIdentity > before,
        20_000,
      );
      expect(refreshed, 'the planned refresh was made').to.equal(true);
      expect(session.usable()).to.equal(true);
    } finally {
      session.discard();
      auth.destroy();
    }
  });
});
