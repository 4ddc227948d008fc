import { expect } from 'chai';
import { SignInThrottle } from '../../src/admin/console/signInThrottle.js';

describe('console: wrong admin tokens are slowed', function () {
  it('waits longer after each wrong token from one address, up to 8 s', function () {
    const throttle = new SignInThrottle({ maxFailures: 100 });
    const waits = Array.from({ length: 7 }, () => throttle.failed('10.0.0.1'));
    expect(waits).to.deep.equal([250, 500, 1000, 2000, 4000, 8000, 8000]);
    expect(throttle.failed('10.0.0.2'), 'another address').to.equal(250);
  });

  it('locks an address after too many failures until the window ends; a right token clears it', function () {
    let now = 0;
    const throttle = new SignInThrottle({ windowMs: 60_000, maxFailures: 3, now: () => now });
    for (let i = 0; i < 3; i++) throttle.failed('a');
    expect(throttle.verdict('a')).to.deep.equal({ locked: true, retryAfterS: 60 });
    expect(throttle.verdict('b').locked).to.be.false;
    now = 60_001;
    expect(throttle.verdict('a').locked).to.be.false;
    throttle.failed('a');
    throttle.succeeded('a');
    expect(throttle.failed('a')).to.equal(250);
  });
});
