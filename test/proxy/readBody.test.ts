import { expect } from 'chai';
import { BodyBudget } from '../../src/proxy/bodyBudget.js';
import { readBody as readBodyWithin } from '../../src/proxy/readBody.js';
import { fakeContext, refusal } from '../support/fakeContext.js';

/** The pass with room for any body in the budget. */
const readBody = (maxBytes: number, idleMs: number) =>
  readBodyWithin(maxBytes, idleMs, new BodyBudget(Number.MAX_SAFE_INTEGER));

describe('proxy pass: readBody', function () {
  it('keeps the body as the chunks it arrived in', async function () {
    const { ctx, body } = fakeContext({ method: 'POST', headers: { 'content-length': '6' } });
    const reading = readBody(100, 1000)(ctx);
    body.write('abc');
    body.end('def');
    await reading;
    expect(ctx.body.map(String)).to.deep.equal(['abc', 'def']);
    expect(ctx.bodyLength).to.equal(6);
  });

  it('reads nothing when the request declares no body', function () {
    const { ctx } = fakeContext();
    expect(readBody(100, 1000)(ctx)).to.equal(undefined);
    expect(ctx.bodyLength).to.equal(0);
  });

  it('refuses a declared length over the limit before reading, and a chunked body when it goes over', async function () {
    const declared = fakeContext({ method: 'POST', headers: { 'content-length': '101' } });
    expect(await refusal(() => readBody(100, 1000)(declared.ctx))).to.include({ status: 413 });
    const chunked = fakeContext({ method: 'POST', headers: { 'transfer-encoding': 'chunked' } });
    const reading = refusal(() => readBody(100, 1000)(chunked.ctx));
    chunked.body.write(Buffer.alloc(60));
    chunked.body.write(Buffer.alloc(60));
    expect(await reading).to.include({ status: 413, code: 'body_too_large' });
  });

  it('drops an upload that stalls with 408', async function () {
    const { ctx, body } = fakeContext({ method: 'POST', headers: { 'content-length': '10' } });
    const started = Date.now();
    const reading = refusal(() => readBody(100, 150)(ctx));
    body.write('12345');
    expect(await reading).to.include({ status: 408, code: 'request_timeout' });
    expect(Date.now() - started).to.be.within(100, 1000);
  });

  it('stops at once when the client leaves', async function () {
    const { ctx, abort } = fakeContext({ method: 'POST', headers: { 'content-length': '10' } });
    const reading = refusal(() => readBody(100, 10_000)(ctx));
    abort.abort(Object.assign(new Error('gone'), { status: 499, code: 'client_closed' }));
    expect(await reading).to.include({ status: 499 });
  });

  it('refuses a body the budget has no room for with 503 overloaded and Retry-After, before reading it', async function () {
    let refused = 0;
    const budget = new BodyBudget(150, () => refused++);
    const first = fakeContext({ method: 'POST', headers: { 'content-length': '100' } });
    const reading = readBodyWithin(100, 1000, budget)(first.ctx);
    expect(first.ctx.bodyHeld).to.equal(100);
    expect(budget.held).to.equal(100);
    const second = fakeContext({ method: 'POST', headers: { 'content-length': '60' } });
    const error = (await refusal(() => readBodyWithin(100, 1000, budget)(second.ctx))) as {
      status: number;
      code: string;
      headers: Record<string, string>;
    };
    expect(error).to.include({ status: 503, code: 'overloaded' });
    expect(error.headers).to.include({ 'retry-after': '1', connection: 'close' });
    expect(second.ctx.bodyHeld).to.equal(0);
    expect(refused).to.equal(1);
    // What fits still goes in.
    const third = fakeContext({ method: 'POST', headers: { 'content-length': '50' } });
    const alsoReading = readBodyWithin(100, 1000, budget)(third.ctx);
    expect(budget.held).to.equal(150);
    first.body.end(Buffer.alloc(100));
    third.body.end(Buffer.alloc(50));
    await Promise.all([reading, alsoReading]);
  });

  it('takes a chunked body from the budget as it arrives, and refuses it when the budget runs out', async function () {
    const budget = new BodyBudget(100);
    const held = fakeContext({ method: 'POST', headers: { 'content-length': '40' } });
    void readBodyWithin(1000, 1000, budget)(held.ctx);
    const chunked = fakeContext({ method: 'POST', headers: { 'transfer-encoding': 'chunked' } });
    const reading = refusal(() => readBodyWithin(1000, 1000, budget)(chunked.ctx));
    chunked.body.write(Buffer.alloc(50));
    await new Promise((resolve) => setImmediate(resolve));
    expect(chunked.ctx.bodyHeld).to.equal(50);
    chunked.body.write(Buffer.alloc(20));
    expect(await reading).to.include({ status: 503, code: 'overloaded' });
    // What it took is what the pipeline gives back.
    expect(chunked.ctx.bodyHeld).to.equal(50);
    expect(budget.held).to.equal(90);
  });
});
