import { expect } from 'chai';
import { upstreamTarget } from '../../src/proxy/upstreamTarget.js';
import { fakeContext, refusal } from '../support/fakeContext.js';

const pass = upstreamTarget(new URL('https://api.example.test/v1'));

describe('proxy pass: upstreamTarget', function () {
  it('joins the base path and the client path byte-exact, and canonicalises the query once', function () {
    const { ctx } = fakeContext({ url: '/a%2Fb//c?b=2&a=x+y&k' });
    pass(ctx);
    expect(ctx.upstreamPath).to.equal('/v1/a%2Fb//c');
    expect(ctx.canonicalQuery).to.equal('a=x%2By&b=2&k=');
  });

  it('passes query bytes that are not UTF-8 as the bytes they are (%FF, a Latin-1 %FC)', function () {
    const { ctx } = fakeContext({ url: '/a?q=%ff&name=M%FCller' });
    pass(ctx);
    expect(ctx.canonicalQuery).to.equal('name=M%FCller&q=%FF');
  });

  for (const key of ['X-Amz-Signature', 'x-amz-security-token', 'X-AMZ-Date', 'X%2DAmz-Date']) {
    it(`refuses a client-signed query parameter (${key}) with 400 bad_query`, async function () {
      const { ctx } = fakeContext({ url: `/jobs?${key}=abc&x=1` });
      expect(await refusal(() => pass(ctx))).to.include({ status: 400, code: 'bad_query' });
    });
  }

  it('refuses malformed percent-encoding and fragments', async function () {
    expect(await refusal(() => pass(fakeContext({ url: '/a?x=%zz' }).ctx))).to.include({
      code: 'bad_query',
    });
    expect(await refusal(() => pass(fakeContext({ url: '/a#frag' }).ctx))).to.include({
      code: 'bad_target',
    });
  });
});
