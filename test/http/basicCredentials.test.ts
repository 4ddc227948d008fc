import { expect } from 'chai';
import { basicCredentials, CredentialsNotUtf8Error } from '../../src/http/index.js';

const encode = (text: string) => `Basic ${Buffer.from(text, 'utf8').toString('base64')}`;

describe('http: Basic credentials', function () {
  it('splits at the first colon, so a password may contain colons; UTF-8 both sides', function () {
    expect(basicCredentials(encode('me@example.com:pa:ss'))).to.deep.equal({
      username: 'me@example.com',
      password: 'pa:ss',
    });
    expect(basicCredentials(encode('zoë:pässwörd'))).to.deep.equal({
      username: 'zoë',
      password: 'pässwörd',
    });
    expect(basicCredentials(encode('me:pw').replace('Basic', 'basic'))).to.deep.equal({
      username: 'me',
      password: 'pw',
    });
  });

  it('refuses what is not a usable login', function () {
    for (const header of [
      undefined,
      '',
      'Bearer abc',
      'Basic',
      'Basic !!!',
      encode('no-colon'),
      encode(':no-user'),
      encode('no-password:'),
      encode('line\nbreak:pw'),
      encode(`${'u'.repeat(129)}:pw`),
      encode(`me:${'p'.repeat(257)}`),
    ]) {
      expect(basicCredentials(header), String(header)).to.equal(undefined);
    }
  });

  it('refuses bytes that are not UTF-8 instead of decoding them lossily (p\\xe4ss and p\\xf6ss stay apart)', function () {
    for (const bytes of [
      [0x6d, 0x65, 0x3a, 0x70, 0xe4, 0x73, 0x73], // me:p\xe4ss (Latin-1)
      [0x6d, 0x65, 0x3a, 0x70, 0xf6, 0x73, 0x73], // me:p\xf6ss
      [0xff, 0x3a, 0x70, 0x77], // an invalid byte in the user name
      [0x6d, 0x65, 0x3a, 0xed, 0xa0, 0x80], // an encoded surrogate
    ]) {
      const header = `Basic ${Buffer.from(bytes).toString('base64')}`;
      expect(() => basicCredentials(header), header).to.throw(CredentialsNotUtf8Error);
    }
  });
});
