import { expect } from 'chai';
import { ConsoleSessions } from '../../src/admin/console/consoleSessions.js';
import { sessionCookie } from '../../src/admin/console/cookie.js';

describe('console sessions', function () {
  it('end after 30 idle minutes', function () {
    let now = 0;
    const sessions = new ConsoleSessions({}, () => now);
    const { id } = sessions.create();
    now = 29 * 60_000;
    expect(sessions.use(id)).to.not.equal(undefined);
    now += 30 * 60_000 + 1;
    expect(sessions.use(id)).to.equal(undefined);
  });

  it('end 8 hours after sign-in however busy', function () {
    let now = 0;
    const sessions = new ConsoleSessions({}, () => now);
    const { id } = sessions.create();
    for (now = 0; now <= 8 * 3_600_000; now += 10 * 60_000) expect(sessions.use(id)).to.be.ok;
    now = 8 * 3_600_000 + 1;
    expect(sessions.use(id)).to.equal(undefined);
  });

  it('are random, distinct from their CSRF token, and bounded in number', function () {
    const sessions = new ConsoleSessions({ max: 2 });
    const first = sessions.create();
    const second = sessions.create();
    expect(first.id).to.match(/^[A-Za-z0-9_-]{43}$/);
    expect(first.id).to.not.equal(first.csrf);
    expect(first.id).to.not.equal(second.id);
    sessions.create();
    expect(sessions.use(first.id), 'the oldest went first').to.equal(undefined);
    expect(sessions.use(second.id)).to.not.equal(undefined);
    sessions.end(second.id);
    expect(sessions.use(second.id)).to.equal(undefined);
  });

  it('ride a cookie that is HttpOnly and SameSite=Strict; Secure with __Host- under TLS; never kept on disk', function () {
    expect(sessionCookie(false, 'abc')).to.equal(
      'scribe-console=abc; Path=/; HttpOnly; SameSite=Strict',
    );
    expect(sessionCookie(true, 'abc')).to.equal(
      '__Host-scribe-console=abc; Path=/; HttpOnly; SameSite=Strict; Secure',
    );
    expect(sessionCookie(false, '', 0)).to.include('Max-Age=0');
  });
});
