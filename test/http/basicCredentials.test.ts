import { expect } from 'chai';
import { basicCredentials } from '../../src/http/index.js';

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
});
