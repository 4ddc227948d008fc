import * as crypto from 'node:crypto';
import { createHmac } from 'node:crypto';

// node:crypto's one-shot hash (Node >= 20.12), over bytes, to a Buffer or hex.
const oneShot = (
  crypto as {
    hash?: (algorithm: string, data: Uint8Array, encoding: 'buffer' | 'hex') => Buffer | string;
  }
).hash;

const blockBytes = 64;

/**
 * HMAC-SHA256 under one key, for many short messages: RFC 2104's two hashes,
 * SHA256((K ^ opad) || SHA256((K ^ ipad) || message)), as two one-shot hashes over buffers
 * prepared once per key, instead of an Hmac object per message (the object costs more than the
 * hashing of a string to sign). Byte-identical to createHmac (test/signing). Not reentrant across
 * threads, and need not be: each call finishes before it returns.
 */
export function hmacSha256Hex(key: Buffer): (message: string) => string {
  if (!oneShot || key.length > blockBytes) {
    return (message) => createHmac('sha256', key).update(message, 'utf8').digest('hex');
  }
  const hash = oneShot;
  const innerPad = Buffer.alloc(blockBytes, 0x36);
  const outer = Buffer.alloc(blockBytes + 32, 0x5c);
  for (let i = 0; i < key.length; i++) {
    innerPad[i] = (innerPad[i] as number) ^ (key[i] as number);
    outer[i] = (outer[i] as number) ^ (key[i] as number);
  }
  let inner = Buffer.alloc(1024);
  innerPad.copy(inner);
  return (message) => {
    // At most 3 UTF-8 bytes per UTF-16 unit.
    if (blockBytes + message.length * 3 > inner.length) {
      inner = Buffer.alloc(blockBytes + message.length * 3);
      innerPad.copy(inner);
    }
    const length = blockBytes + inner.write(message, blockBytes, 'utf8');
    (hash('sha256', inner.subarray(0, length), 'buffer') as Buffer).copy(outer, blockBytes);
    return hash('sha256', outer, 'hex') as string;
  };
}
