import { expect } from 'chai';
import fc from 'fast-check';
import { createHmac } from 'node:crypto';
import { hmacSha256Hex } from '../../src/signing/hotPath/hmacSha256.js';

const reference = (key: Buffer, message: string) =>
  createHmac('sha256', key).update(message, 'utf8').digest('hex');

describe('HMAC-SHA256 by two one-shot hashes', function () {
  it('gives the bytes createHmac gives, for any key and message, however many in a row', function () {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 0, maxLength: 100 }),
        fc.array(fc.string({ unit: 'binary', maxLength: 600 }), { minLength: 1, maxLength: 4 }),
        (keyBytes, messages) => {
          const key = Buffer.from(keyBytes);
          const hmac = hmacSha256Hex(key);
          for (const message of messages) expect(hmac(message)).to.equal(reference(key, message));
        },
      ),
    );
  });

  it('signs a string to sign longer than its first buffer, then a short one', function () {
    const key = Buffer.alloc(32, 7);
    const hmac = hmacSha256Hex(key);
    const long = `AWS4-HMAC-SHA256\n${'é'.repeat(2000)}`;
    expect(hmac(long)).to.equal(reference(key, long));
    expect(hmac('short')).to.equal(reference(key, 'short'));
  });
});
