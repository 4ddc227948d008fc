import { createHash, createHmac, type Hash, type Hmac } from 'node:crypto';

type Data = string | ArrayBuffer | ArrayBufferView;

function bytes(data: Data): string | Buffer | ArrayBufferView {
  return data instanceof ArrayBuffer ? Buffer.from(data) : data;
}

/**
 * SHA-256 (or HMAC-SHA-256 with a secret) from Node's crypto, in the Checksum shape
 * @smithy/signature-v4 takes. Thinner than @smithy/core's Hash, which re-encodes every input:
 * signing is on the proxy's per-request path.
 */
export class NativeSha256 {
  readonly #secret: Data | undefined;
  #hash: Hash | Hmac;

  constructor(secret?: Data) {
    this.#secret = secret;
    this.#hash = this.#fresh();
  }

  update(data: Data): void {
    this.#hash.update(bytes(data) as string | Buffer);
  }

  digest(): Promise<Uint8Array> {
    return Promise.resolve(this.#hash.digest());
  }

  reset(): void {
    this.#hash = this.#fresh();
  }

  #fresh(): Hash | Hmac {
    return this.#secret === undefined
      ? createHash('sha256')
      : createHmac('sha256', bytes(this.#secret) as string | Buffer);
  }
}
