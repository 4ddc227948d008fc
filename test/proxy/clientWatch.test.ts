import { expect } from 'chai';
import { ClientWatch } from '../../src/proxy/watchClientAbort.js';

describe('the client-abort watch', () => {
  it('tells each listener once, with the first reason, and forgets removed ones', () => {
    const watch = new ClientWatch();
    const heard: unknown[] = [];
    const kept = (reason: unknown) => heard.push(['kept', reason]);
    const removed = (reason: unknown) => heard.push(['removed', reason]);
    watch.onAbort(kept);
    watch.onAbort(removed);
    watch.offAbort(removed);
    watch.abort('client left');
    watch.abort('shutdown');
    expect(heard).to.deep.equal([['kept', 'client left']]);
    expect(watch.aborted).to.equal(true);
    expect(watch.reason).to.equal('client left');
  });

  it('gives an AbortSignal that follows it, whether asked for before or after the abort', () => {
    const early = new ClientWatch();
    const signal = early.signal;
    expect(signal.aborted).to.equal(false);
    early.abort('gone');
    expect(signal.aborted).to.equal(true);
    expect(signal.reason).to.equal('gone');
    expect(early.signal).to.equal(signal);

    const late = new ClientWatch();
    late.abort('gone');
    expect(late.signal.aborted).to.equal(true);
    expect(late.signal.reason).to.equal('gone');
  });
});
