import { expect } from 'chai';
import fc from 'fast-check';
import { NoProxyEntryError, noProxyExempts, parseNoProxyEntry } from '../../src/http/noProxy.js';

const v4 = (n: bigint) => [24n, 16n, 8n, 0n].map((s) => String((n >> s) & 255n)).join('.');
const v6 = (n: bigint) =>
  Array.from({ length: 8 }, (_, i) => ((n >> BigInt(112 - 16 * i)) & 0xffffn).toString(16)).join(
    ':',
  );

/** Whether `a` and `b` share their first `bits` bits, computed on integers (no shifts of 32). */
const samePrefix = (a: bigint, b: bigint, bits: number, width: number) =>
  a >> BigInt(width - bits) === b >> BigInt(width - bits);

describe('property: NO_PROXY entries', function () {
  it('an IPv4 CIDR exempts exactly the addresses that share its prefix; a prefix over 32 is refused', function () {
    const address = fc.bigInt({ min: 0n, max: 2n ** 32n - 1n });
    fc.assert(
      fc.property(address, address, fc.integer({ min: 0, max: 200 }), (net, host, bits) => {
        const entry = `${v4(net)}/${bits}`;
        if (bits > 32) {
          expect(() => parseNoProxyEntry(entry)).to.throw(NoProxyEntryError);
          return;
        }
        const exempt = noProxyExempts(parseNoProxyEntry(entry), v4(host), '80');
        expect(exempt, `${entry} ${v4(host)}`).to.equal(samePrefix(net, host, bits, 32));
      }),
      { numRuns: 3000 },
    );
  });

  it('an IPv6 CIDR (bare or bracketed, with a port) exempts exactly its prefix; over 128 is refused', function () {
    const address = fc.bigInt({ min: 0n, max: 2n ** 128n - 1n });
    fc.assert(
      fc.property(
        address,
        address,
        fc.integer({ min: 0, max: 300 }),
        fc.boolean(),
        (net, host, bits, bracketed) => {
          const entry = bracketed ? `[${v6(net)}/${bits}]:8080` : `${v6(net)}/${bits}`;
          if (bits > 128) {
            expect(() => parseNoProxyEntry(entry)).to.throw(NoProxyEntryError);
            return;
          }
          const parsed = parseNoProxyEntry(entry);
          expect(noProxyExempts(parsed, v6(host), '8080')).to.equal(
            samePrefix(net, host, bits, 128),
          );
          if (bracketed) expect(noProxyExempts(parsed, v6(net), '9090')).to.equal(false);
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('any text is either an entry or a NoProxyEntryError, never another failure', function () {
    const pieces = [
      '[',
      ']',
      ':',
      '/',
      '.',
      '*',
      '-',
      '_',
      '1',
      '10',
      '255',
      '256',
      'a',
      'fe80',
      '::',
      ' ',
      '%',
    ];
    const text = fc.oneof(
      fc.string({ maxLength: 30 }),
      fc.array(fc.constantFrom(...pieces), { maxLength: 12 }).map((p) => p.join('')),
    );
    fc.assert(
      fc.property(text, (entry) => {
        try {
          const parsed = parseNoProxyEntry(entry);
          // An entry that parses means something definite for a host it names.
          expect(['all', 'domain', 'address']).to.include(parsed.kind);
        } catch (err) {
          expect(err).to.be.instanceOf(NoProxyEntryError);
        }
      }),
      { numRuns: 5000 },
    );
  });

  it('a domain exempts itself and its subdomains, never a name that merely ends with it', function () {
    const label = fc.stringMatching(/^[a-z0-9]{1,8}$/);
    // A host name's last label is not a number, decimal or hex (a URL reads `a.0xa` or `a.10` as an
    // IPv4 address, and the parser refuses such a name): CI once drew `0xa` here.
    const top = fc
      .stringMatching(/^[a-z0-9]{0,7}[a-z]$/)
      .filter((name) => !/^0x[0-9a-f]*$/.test(name));
    fc.assert(
      fc.property(fc.array(label, { maxLength: 2 }), top, label, label, (parts, tld, sub, glue) => {
        const domain = [...parts, tld].join('.');
        const entry = parseNoProxyEntry(domain);
        expect(noProxyExempts(entry, domain, '443')).to.equal(true);
        expect(noProxyExempts(entry, `${sub}.${domain}`, '443')).to.equal(true);
        expect(noProxyExempts(entry, `${glue}${domain}`, '443')).to.equal(false);
      }),
    );
  });
});
