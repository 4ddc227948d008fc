import { expect } from 'chai';
import { isSameOriginPost } from '../../src/admin/console/sameOriginPost.js';

describe('console: a form post is accepted only from the console itself', function () {
  const host = '127.0.0.1:8081';

  it('accepts Sec-Fetch-Site: same-origin, even with Origin: null (Chromium under no-referrer)', function () {
    expect(isSameOriginPost({ host, 'sec-fetch-site': 'same-origin', origin: 'null' }, false)).to.be
      .true;
  });

  it('refuses cross-site, same-site and user-typed (none) posts whatever the Origin says', function () {
    for (const site of ['cross-site', 'same-site', 'none']) {
      expect(
        isSameOriginPost({ host, 'sec-fetch-site': site, origin: `http://${host}` }, false),
        site,
      ).to.be.false;
    }
  });

  it('without Sec-Fetch-Site, needs an Origin equal to the console’s own, scheme included', function () {
    expect(isSameOriginPost({ host, origin: `http://${host}` }, false)).to.be.true;
    expect(isSameOriginPost({ host, origin: `https://${host}` }, true)).to.be.true;
    expect(isSameOriginPost({ host, origin: `http://${host}` }, true)).to.be.false;
    expect(isSameOriginPost({ host, origin: 'http://evil.example' }, false)).to.be.false;
    expect(isSameOriginPost({ host, origin: 'null' }, false)).to.be.false;
    expect(isSameOriginPost({ host }, false)).to.be.false;
  });
});
