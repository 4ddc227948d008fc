import { expect } from 'chai';
import fc from 'fast-check';
import { basicCredentials, CredentialsNotUtf8Error } from '../../src/http/index.js';

const header = (bytes: Uint8Array) => `Basic ${Buffer.from(bytes).toString('base64')}`;

/** The login a header gives: 'refused', 'not-utf8', or the username and password. */
function loginOf(bytes: Uint8Array): string | { username: string; password: string } {
  try {
    return basicCredentials(header(bytes)) ?? 'refused';
  } catch (err) {
    if (err instanceof CredentialsNotUtf8Error) return 'not-utf8';
    throw err;
  }
}

// Byte strings near the interesting cases: colons, Latin-1 and UTF-8 bytes, invalid sequences.
const credentialBytes = fc.oneof(
  fc.uint8Array({ maxLength: 40 }),
  fc
    .array(
      fc.constantFrom(0x61, 0x62, 0x3a, 0xe4, 0xf6, 0xc3, 0xa4, 0xb6, 0xed, 0xa0, 0x80, 0xff),
      {
        maxLength: 16,
      },
    )
    .map((a) => Uint8Array.from(a)),
);

describe('property: Basic credentials', function () {
  it('no two different credential byte strings give the same login (so never the same session)', function () {
    fc.assert(
      fc.property(credentialBytes, credentialBytes, (a, b) => {
        fc.pre(!Buffer.from(a).equals(Buffer.from(b)));
        const first = loginOf(a);
        const second = loginOf(b);
        if (typeof first === 'string' || typeof second === 'string') return;
        // The session key is a keyed hash of exactly this pair.
        expect([first.username, first.password]).to.not.deep.equal([
          second.username,
          second.password,
        ]);
      }),
      { numRuns: 5000 },
    );
  });

  it('a login that is decoded is the exact bytes the client sent, as UTF-8', function () {
    fc.assert(
      fc.property(credentialBytes, (bytes) => {
        const login = loginOf(bytes);
        if (typeof login === 'string') return;
        const again = Buffer.from(`${login.username}:${login.password}`, 'utf8');
        expect(again.equals(Buffer.from(bytes))).to.equal(true);
      }),
      { numRuns: 5000 },
    );
  });

  it('any UTF-8 username (no colon, no control characters) and password round-trip', function () {
    const text = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 20 });
    fc.assert(
      fc.property(text, text, (username, password) => {
        fc.pre(!username.includes(':') && ![...username].some((c) => c < ' ' || c === '\x7f'));
        fc.pre(username.length <= 128 && password.length <= 256);
        expect(loginOf(Buffer.from(`${username}:${password}`, 'utf8'))).to.deep.equal({
          username,
          password,
        });
      }),
    );
  });
});
