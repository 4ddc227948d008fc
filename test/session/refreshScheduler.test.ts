import { expect } from 'chai';
import { RefreshScheduler } from '../../src/session/refreshScheduler.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const day = 86_400_000;

describe('session: the refresh scheduler', function () {
  it('a plan further out than a timer can count (30 days) waits, instead of firing at once in a loop', async function () {
    let runs = 0;
    const scheduler = new RefreshScheduler(() => {
      runs++;
      scheduler.at(Date.now() + 30 * day);
    });
    scheduler.at(Date.now() + 30 * day);
    await sleep(100);
    scheduler.stop();
    // Node fires a timer over 2^31-1 ms after 1 ms: the plan ran, re-planned, ran again...
    expect(runs).to.equal(0);
  });

  it('a plan for now runs, once', async function () {
    let runs = 0;
    const scheduler = new RefreshScheduler(() => runs++);
    scheduler.at(Date.now());
    await sleep(100);
    scheduler.stop();
    expect(runs).to.equal(1);
  });
});
