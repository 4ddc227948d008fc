import { expect } from 'chai';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { createHash } from 'node:crypto';
import { signWithNodeCrypto } from '../../src/signing/hotPath/index.js';
import { signHttpRequest, type SignableRequest } from '../../src/signing/index.js';

interface Vector {
  name: string;
  request: SignableRequest;
  authorization: string;
}
interface Suite {
  region: string;
  service: string;
  credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  signingDate: Date;
  requests: Vector[];
}

// The AWS SigV4 test-suite vectors, as shipped in @smithy/signature-v4 5.3.0 (an exact-pinned
// alias devDependency). The file is ES syntax in a CommonJS package, so it is loaded as text.
async function loadSuite(): Promise<Suite> {
  const require = createRequire(import.meta.url);
  const path = require.resolve('sigv4-suite/package.json').replace(/package\.json$/, '');
  const text = await readFile(`${path}dist-es/suite.fixture.js`, 'utf8');
  return (await import(`data:text/javascript,${encodeURIComponent(text)}`)) as Suite;
}

describe('signing: the AWS SigV4 test-suite vectors', function () {
  let suite: Suite;
  before(async function () {
    suite = await loadSuite();
  });

  it('ships 24 vectors', function () {
    expect(suite.requests).to.have.length(24);
  });

  it('produces the expected Authorization header for every vector', async function () {
    const failures: string[] = [];
    for (const vector of suite.requests) {
      const headers = await signHttpRequest(
        vector.request,
        suite.credentials,
        { region: suite.region, service: suite.service },
        suite.signingDate,
      );
      if (headers['authorization'] !== vector.authorization) {
        failures.push(`${vector.name}: got ${headers['authorization']}`);
      }
    }
    expect(failures).to.deep.equal([]);
  });

  it("the hot path's node:crypto signer produces the expected Authorization for every vector", function () {
    const failures: string[] = [];
    for (const vector of suite.requests) {
      const authorization = signWithNodeCrypto(
        vector.request,
        suite.credentials,
        { region: suite.region, service: suite.service },
        suite.signingDate,
        (body) => createHash('sha256').update(body).digest('hex'),
      );
      if (authorization !== vector.authorization)
        failures.push(`${vector.name}: got ${authorization}`);
    }
    expect(failures).to.deep.equal([]);
  });
});
