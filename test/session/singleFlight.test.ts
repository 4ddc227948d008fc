import { expect } from 'chai';
import { SingleFlight } from '../../src/session/singleFlight.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('session: single flight', function () {
  it('callers during a job share it', async function () {
    const flight = new SingleFlight();
    let runs = 0;
    const job = async () => {
      runs++;
      await sleep(20);
    };
    await Promise.all([flight.join(job), flight.join(job), flight.join(job)]);
    expect(runs).to.equal(1);
    await flight.join(job);
    expect(runs).to.equal(2);
  });

  it('an exclusive job waits for the running one, and a failing job does not poison the flight', async function () {
    const flight = new SingleFlight();
    const order: string[] = [];
    void flight.join(async () => {
      await sleep(20);
      order.push('refresh');
      throw new Error('refresh failed');
    });
    const result = await flight.exclusive(async () => {
      order.push('operator');
      return 42;
    });
    expect(result).to.equal(42);
    expect(order).to.deep.equal(['refresh', 'operator']);
    const err = await flight
      .exclusive(async () => Promise.reject(new Error('typo')))
      .catch((e: unknown) => e);
    expect((err as Error).message).to.equal('typo');
    expect(flight.current).to.equal(undefined);
  });
});
