import { expect } from 'chai';
import { readBody } from '../../src/proxy/readBody.js';
import { fakeContext, refusal } from '../support/fakeContext.js';

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
});
