import { expect } from 'chai';
import { RecentMinutes } from '../../src/observability/index.js';

describe('the last hour per minute (the console chart)', function () {
  it('counts by label and latency within each minute, oldest minute first', function () {
    let now = 10 * 60_000 + 5_000;
    const recent = new RecentMinutes({ minutes: 3, now: () => now });
    recent.record('200', 10);
    recent.record('200', 30);
    now += 60_000;
    recent.record('no_session', 2);
    const minutes = recent.minutes();
    expect(minutes.map((m) => m.startMs)).to.deep.equal([9, 10, 11].map((m) => m * 60_000));
    expect(minutes.map((m) => m.total)).to.deep.equal([0, 2, 1]);
    expect(minutes[1]).to.include({ latencyMsSum: 40, latencyMsMax: 30 });
    expect(minutes[2]?.byLabel).to.deep.equal({ no_session: 1 });
  });

  it('forgets a minute once the ring comes round to it again', function () {
    let now = 0;
    const recent = new RecentMinutes({ minutes: 3, now: () => now });
    recent.record('200');
    now = 3 * 60_000;
    recent.record('502');
    const minutes = recent.minutes();
    expect(minutes.map((m) => m.total)).to.deep.equal([0, 0, 1]);
    expect(minutes[2]?.byLabel).to.deep.equal({ '502': 1 });
  });
});
