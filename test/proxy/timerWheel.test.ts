import FakeTimers from '@sinonjs/fake-timers';
import { expect } from 'chai';
import { TimerWheel, type Deadline } from '../../src/proxy/timerWheel.js';

describe('the shared timer wheel', () => {
  let clock: ReturnType<typeof FakeTimers.install>;
  beforeEach(() => {
    clock = FakeTimers.install({ toFake: ['setInterval', 'clearInterval', 'performance'] });
  });
  afterEach(() => clock.uninstall());

  const deadline = (ms: number, fired: string[], name: string): Deadline => ({
    at: performance.now() + ms,
    ms,
    fire: () => fired.push(`${name}@${Math.round(performance.now())}`),
  });

  it('fires a deadline once, after its time and within a tenth of it', () => {
    const wheel = new TimerWheel();
    const fired: string[] = [];
    wheel.add(deadline(1000, fired, 'a'));
    clock.tick(999);
    expect(fired).to.deep.equal([]);
    clock.tick(100);
    expect(fired).to.deep.equal(['a@1000']);
    clock.tick(5000);
    expect(fired).to.deep.equal(['a@1000']);
  });

  it('never fires a deadline removed before its time, and stops ticking when empty', () => {
    const wheel = new TimerWheel();
    const fired: string[] = [];
    const d = deadline(300, fired, 'a');
    wheel.add(d);
    clock.tick(200);
    wheel.delete(d);
    expect(clock.countTimers()).to.equal(0);
    clock.tick(1000);
    expect(fired).to.deep.equal([]);
  });

  it('moves an idle deadline on while its progress count grows, and fires once it stops', () => {
    const wheel = new TimerWheel();
    const fired: string[] = [];
    let bytes = 0;
    const d = { ...deadline(500, fired, 'idle'), progress: () => bytes, lastProgress: 0 };
    wheel.add(d);
    for (let i = 0; i < 10; i++) {
      clock.tick(200);
      bytes += 10;
    }
    expect(fired).to.deep.equal([]);
    clock.tick(600);
    expect(fired).to.have.length(1);
  });

  it('looks as often as its shortest deadline needs', () => {
    const wheel = new TimerWheel();
    const fired: string[] = [];
    wheel.add(deadline(60_000, fired, 'long'));
    wheel.add(deadline(100, fired, 'short'));
    clock.tick(110);
    expect(fired).to.deep.equal(['short@100']);
  });
});
