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

  it('counts an IPv6 /64 as one address (a host owns the whole prefix), IPv4-mapped as IPv4', function () {
    const throttle = new SignInThrottle({ maxFailures: 3 });
    throttle.failed('2001:db8:1:2::1');
    throttle.failed('2001:db8:1:2:aaaa::7');
    throttle.failed('2001:db8:1:2:ffff:ffff:ffff:ffff');
    expect(throttle.verdict('2001:db8:1:2::9').locked, 'another address of the /64').to.be.true;
    expect(throttle.verdict('2001:db8:1:3::1').locked, 'the next /64').to.be.false;
    throttle.failed('::ffff:10.0.0.1');
    expect(throttle.failed('10.0.0.1'), 'the same IPv4 client').to.equal(500);
    expect(throttle.failed('::ffff:10.0.0.2'), 'another IPv4 client').to.equal(250);
  });

  it('holds at most 10,000 addresses however many fail inside one window, each failure cheap', function () {
    const throttle = new SignInThrottle({ windowMs: 60_000 });
    for (let i = 0; i < 30_000; i++)
      throttle.failed(`2001:db8:${(i >> 16) & 0xffff}:${i & 0xffff}::1`);
    expect(throttle.tracked).to.be.at.most(10_000);
    for (let i = 0; i < 3; i++) throttle.failed('10.9.9.9');
    expect(throttle.failed('10.9.9.9'), 'the newest address keeps its count').to.equal(2000);
  });
});
