import { expect } from 'chai';
import fc from 'fast-check';
import {
  canonicalQueryFromRaw,
  canonicalQueryString,
  MalformedQueryError,
  parseQuery,
} from '../../src/signing/queryString.js';

const text = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 12 }),
  fc
    .array(fc.constantFrom('a', ' ', '+', '=', '&', '%', '~', '*', "'", 'é', '😀', '/', '?'), {
      maxLength: 8,
    })
    .map((p) => p.join('')),
);
const query = fc.dictionary(text, fc.oneof(text, fc.array(text, { minLength: 1, maxLength: 3 })), {
  maxKeys: 6,
});

describe('property: the canonical query (what is signed is what is sent)', function () {
  it('parsing the canonical string gives the query back, and canonicalising again changes nothing', function () {
    fc.assert(
      fc.property(query, (q) => {
        const canonical = canonicalQueryString(q);
        const again = parseQuery(canonical);
        // Repeated values come back sorted (SigV4 sorts them); compare as sorted lists.
        const normal = (x: Record<string, string | string[]>) =>
          Object.fromEntries(
            Object.entries(x).map(([k, v]) => [k, (Array.isArray(v) ? [...v] : [v]).sort()]),
          );
        expect(normal(again)).to.deep.equal(normal(q));
        expect(canonicalQueryString(again)).to.equal(canonical);
      }),
      { numRuns: 3000 },
    );
  });

  it('uses only unreserved characters, percent-escapes, = and &, with keys in order', function () {
    fc.assert(
      fc.property(query, (q) => {
        const canonical = canonicalQueryString(q);
        expect(canonical).to.match(/^(?:[A-Za-z0-9\-._~=&]|%[0-9A-F]{2})*$/);
        const keys = canonical === '' ? [] : canonical.split('&').map((p) => p.split('=')[0] ?? '');
        expect(keys).to.deep.equal([...keys].sort());
      }),
      { numRuns: 3000 },
    );
  });

  it('any raw query a client sends is either refused as malformed or canonicalised to a fixpoint', function () {
    const raw = fc.oneof(
      fc.string({ maxLength: 30 }),
      fc
        .array(
          fc.constantFrom('a', '=', '&', '%', '%2', '%41', '%E9', '%C3%A9', '+', ' ', '%zz', '%2B'),
          { maxLength: 10 },
        )
        .map((p) => p.join('')),
    );
    fc.assert(
      fc.property(raw, (rawQuery) => {
        let parsed;
        try {
          parsed = parseQuery(rawQuery);
        } catch (err) {
          expect(err).to.be.instanceOf(MalformedQueryError);
          return;
        }
        const canonical = canonicalQueryString(parsed);
        expect(canonicalQueryString(parseQuery(canonical))).to.equal(canonical);
      }),
      { numRuns: 3000 },
    );
  });

  // Any bytes, each written as a literal (when unreserved ASCII) or %xx in either case.
  const bytesComponent = fc
    .array(
      fc.record({
        byte: fc.integer({ min: 0, max: 255 }),
        literal: fc.boolean(),
        upper: fc.boolean(),
      }),
      { maxLength: 6 },
    )
    .map((parts) => ({
      bytes: Buffer.from(parts.map((p) => p.byte)),
      raw: parts
        .map(({ byte, literal, upper }) => {
          const c = String.fromCharCode(byte);
          if (literal && /[A-Za-z0-9\-._~]/.test(c)) return c;
          const hex = byte.toString(16).padStart(2, '0');
          return `%${upper ? hex.toUpperCase() : hex}`;
        })
        .join(''),
    }));
  const bytesQuery = fc.array(fc.tuple(bytesComponent, bytesComponent), {
    minLength: 1,
    maxLength: 5,
  });
  const decode = (text: string) =>
    Buffer.from(
      text.replace(/%([0-9A-F]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16))),
      'latin1',
    );

  it('a query of any bytes, UTF-8 or not, is canonicalised to exactly those bytes, RFC 3986 encoded, sorted', function () {
    fc.assert(
      fc.property(bytesQuery, (pairs) => {
        const raw = pairs.map(([k, v]) => `${k.raw}=${v.raw}`).join('&');
        const canonical = canonicalQueryFromRaw(raw);
        expect(canonical).to.match(/^(?:[A-Za-z0-9\-._~=&]|%[0-9A-F]{2})*$/);
        const back = canonical.split('&').map((p) => {
          const [k = '', v = ''] = p.split('=');
          return `${decode(k).toString('hex')}=${decode(v).toString('hex')}`;
        });
        const sent = pairs.map(([k, v]) => `${k.bytes.toString('hex')}=${v.bytes.toString('hex')}`);
        expect([...back].sort()).to.deep.equal([...sent].sort());
        expect(canonicalQueryFromRaw(canonical)).to.equal(canonical);
      }),
      { numRuns: 3000 },
    );
  });

  it('where the bytes are UTF-8, it is what the string path (and so smithy) computes', function () {
    fc.assert(
      fc.property(bytesQuery, (pairs) => {
        const raw = pairs.map(([k, v]) => `${k.raw}=${v.raw}`).join('&');
        let strings;
        try {
          strings = parseQuery(raw);
        } catch {
          return; // not UTF-8: the string path cannot take it
        }
        expect(canonicalQueryFromRaw(raw)).to.equal(canonicalQueryString(strings));
      }),
      { numRuns: 3000 },
    );
  });
});
