import { Sha256 } from '@aws-crypto/sha256-js';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { expect } from 'chai';
import { createHash } from 'node:crypto';
import {
  canonicalQueryFromRaw,
  canonicalQueryString,
  hostHeader,
  parseQuery,
} from '../../src/signing/index.js';
import { HotPathSigner } from '../../src/signing/hotPath/index.js';
import type { SigningCredentials } from '../../src/signing/types.js';
import { verifySigV4 } from '../support/verifySigV4.js';

/** A small deterministic PRNG (mulberry32), so a failure can be replayed from its seed. */
function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pieces = [
  'jobs',
  'a',
  'A-b_c~d',
  '.',
  '..',
  '',
  'x.y',
  '%20',
  '%2F',
  '%2f',
  '%25',
  '%E2%82%AC',
  'é',
  '日本',
  '😀',
  "it's",
  '(x)',
  '*',
  '!',
  '+',
  '=',
  ':',
  '@',
  ',',
  ';',
  '$',
  '&',
  'a b',
  '%zz',
  '~tilde',
];
const values = [
  '',
  'v',
  'a b',
  'a+b',
  '=',
  'x=y',
  '&',
  'é',
  '日本',
  '😀',
  '%',
  "!'()*",
  '/p/q',
  '~',
];

function generate(random: () => number) {
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)] as T;
  const segments = Array.from({ length: 1 + Math.floor(random() * 5) }, () => pick(pieces));
  let path = `/${segments.join(random() < 0.2 ? '//' : '/')}${random() < 0.2 ? '/' : ''}`;
  if (random() < 0.05) path = '/';
  const query: Record<string, string | string[]> = {};
  for (let i = Math.floor(random() * 4); i > 0; i--) {
    const key = pick(['k', 'a', 'B', 'é', 'x y', '+', 'key=', 'z', '']);
    const value = pick(values);
    const existing = query[key];
    query[key] = existing === undefined ? value : [existing, value].flat();
  }
  const sizes = [0, 0, 1, 17, 1024, 65_536];
  const size = random() < 0.002 ? 1024 * 1024 : pick(sizes);
  const body = Buffer.alloc(size, Math.floor(random() * 256));
  const method = pick(['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS']);
  return { path, query, body, method };
}

const token = (random: () => number) =>
  Buffer.from(Array.from({ length: 760 }, () => Math.floor(random() * 256))).toString('base64');

describe('signing: the hot-path signer equals @smithy/signature-v4 byte for byte', function () {
  this.timeout(120_000);

  it('on 10,000 generated requests (paths, queries, bodies, tokens, dates across midnight and credential changes)', async function () {
    const random = prng(20261129);
    const region = 'eu-west-2';
    const service = 'execute-api';
    const mismatches: string[] = [];
    let credentials: SigningCredentials = { accessKeyId: '', secretAccessKey: '' };
    let hot: HotPathSigner | undefined;
    let oracle: SignatureV4 | undefined;
    const host = hostHeader('https:', 'abc123.execute-api.eu-west-2.amazonaws.com');
    // Start a minute before midnight and walk forward: the day (and so the key) changes.
    let now = Date.UTC(2026, 10, 29, 23, 59, 0);
    for (let i = 0; i < 10_000; i++) {
      if (i % 500 === 0) {
        credentials = {
          accessKeyId: `ASIA${i.toString(16).padStart(12, '0').toUpperCase()}`,
          secretAccessKey: Buffer.from(`secret-${i}-${random()}`).toString('base64'),
          sessionToken: i % 1000 === 0 ? undefined : token(random),
        };
        hot = new HotPathSigner(credentials, { region, service }, host);
        oracle = new SignatureV4({
          credentials,
          region,
          service,
          sha256: Sha256,
          uriEscapePath: true,
          applyChecksum: false,
        });
      }
      now += Math.floor(random() * 30_000);
      const request = generate(random);
      const payloadHash = createHash('sha256').update(request.body).digest('hex');
      const ours = hot?.sign(
        {
          method: request.method,
          path: request.path,
          canonicalQuery: canonicalQueryString(request.query),
          payloadHash,
        },
        now,
      );
      const theirs = await oracle?.sign(
        new HttpRequest({
          method: request.method,
          protocol: 'https:',
          hostname: 'abc123.execute-api.eu-west-2.amazonaws.com',
          path: request.path,
          query: request.query,
          headers: { host },
          body: request.body,
        }),
        { signingDate: new Date(now) },
      );
      const expected = theirs?.headers ?? {};
      const same =
        ours?.['authorization'] === expected['authorization'] &&
        ours?.['x-amz-date'] === expected['x-amz-date'] &&
        ours?.['x-amz-security-token'] === expected['x-amz-security-token'] &&
        ours?.['host'] === expected['host'];
      if (!same && mismatches.length < 5) {
        mismatches.push(
          `#${i} ${request.method} ${request.path} ${JSON.stringify(request.query)}\n  ours   ${ours?.['authorization']}\n  smithy ${expected['authorization']}`,
        );
      }
    }
    expect(mismatches).to.deep.equal([]);
  });

  it('on 2,000 generated queries of raw bytes: equal to smithy where they are UTF-8, accepted by the aws4 verifier where they are not', async function () {
    // smithy takes decoded strings and encodes them as UTF-8: it cannot be given %FF. Where the
    // bytes are UTF-8 it is the oracle; elsewhere the independent aws4 verifier (as API Gateway,
    // bytes encoded again) must accept what the hot path signed.
    const random = prng(24);
    const scope = { region: 'eu-west-2', service: 'execute-api' };
    const hostname = 'abc123.execute-api.eu-west-2.amazonaws.com';
    const credentials = {
      accessKeyId: 'ASIABYTES',
      secretAccessKey: 'c2VjcmV0',
      sessionToken: 'tok',
    };
    const hot = new HotPathSigner(credentials, scope, hostHeader('https:', hostname));
    const oracle = new SignatureV4({
      credentials,
      ...scope,
      sha256: Sha256,
      uriEscapePath: true,
      applyChecksum: false,
    });
    const bytes = [
      0x41, 0x7a, 0x2d, 0x7e, 0x20, 0x2b, 0x26, 0x3d, 0x25, 0xc3, 0xa9, 0xfc, 0xff, 0x80, 0xe2,
      0x82, 0xac, 0x00,
    ];
    const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)] as T;
    const component = () =>
      Array.from({ length: Math.floor(random() * 5) }, () => {
        const hex = pick(bytes).toString(16).padStart(2, '0');
        return `%${random() < 0.5 ? hex : hex.toUpperCase()}`;
      }).join('');
    const now = Date.UTC(2026, 11, 7, 7, 30);
    const seen = { utf8: 0, bytes: 0 };
    const mismatches: string[] = [];
    for (let i = 0; i < 2000; i++) {
      const raw = Array.from(
        { length: 1 + Math.floor(random() * 3) },
        () => `${component()}=${component()}`,
      ).join('&');
      const canonicalQuery = canonicalQueryFromRaw(raw);
      const path = '/v1/search';
      const ours = hot.sign(
        { method: 'GET', path, canonicalQuery, payloadHash: createHash('sha256').digest('hex') },
        now,
      );
      let query: Record<string, string | string[]> | undefined;
      try {
        query = parseQuery(raw);
      } catch {
        query = undefined;
      }
      if (query) {
        seen.utf8++;
        const theirs = await oracle.sign(
          new HttpRequest({
            method: 'GET',
            protocol: 'https:',
            hostname,
            path,
            query,
            headers: { host: hostname },
          }),
          { signingDate: new Date(now) },
        );
        if (theirs.headers['authorization'] !== ours['authorization'])
          mismatches.push(`smithy: ${raw}`);
      } else {
        seen.bytes++;
        const verdict = verifySigV4(
          { method: 'GET', url: `${path}?${canonicalQuery}`, headers: ours, body: Buffer.alloc(0) },
          scope,
          () => credentials,
          new Date(now),
        );
        if (!verdict.ok) mismatches.push(`aws4: ${raw}: ${verdict.message}`);
      }
    }
    expect(mismatches.slice(0, 5)).to.deep.equal([]);
    expect(seen.utf8).to.be.greaterThan(100);
    expect(seen.bytes).to.be.greaterThan(100);
  });

  it('signs with the new key after midnight and with new credentials at once', function () {
    const scope = { region: 'eu-west-2', service: 'execute-api' };
    const request = {
      method: 'GET',
      path: '/a',
      canonicalQuery: '',
      payloadHash: createHash('sha256').digest('hex'),
    };
    const signer = new HotPathSigner(
      { accessKeyId: 'AKID', secretAccessKey: 's1', sessionToken: 't' },
      scope,
      'h',
    );
    const before = signer.sign(request, Date.UTC(2026, 0, 1, 23, 59, 59));
    const after = signer.sign(request, Date.UTC(2026, 0, 2, 0, 0, 0));
    expect(before['authorization']).to.include('/20260101/');
    expect(after['authorization']).to.include('/20260102/');
  });
});
