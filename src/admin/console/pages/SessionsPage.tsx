import type { SessionListing } from '../../../session/index.js';
import { Csrf, Layout, type PageContext } from './Layout.js';
import { When } from './Time.js';
import { summarize, TrafficChart, type MinuteCounts } from './TrafficChart.js';

/** Login outcomes over the window, most frequent first. */
function loginOutcomes(minutes: MinuteCounts[]): Array<[string, number]> {
  const counts = new Map<string, number>();
  for (const minute of minutes) {
    for (const [outcome, count] of Object.entries(minute.byLabel)) {
      counts.set(outcome, (counts.get(outcome) ?? 0) + count);
    }
  }
  return [...counts.entries()].sort((a, b) => b[1] - a[1]);
}

/**
 * Per-client mode's front page: the sessions held (filtered by name), each with evict and
 * evict-and-revoke (both confirmed on the next page), the last hour's logins and traffic.
 */
export function SessionsPage(props: {
  ctx: PageContext;
  sessions: SessionListing[];
  filter: string;
  held: number;
  logins: MinuteCounts[];
  requests: MinuteCounts[];
  now: number;
  refreshS: number;
}) {
  const { ctx, sessions, filter, now } = props;
  const outcomes = loginOutcomes(props.logins);
  const traffic = summarize(props.requests);
  return (
    <Layout title="Sessions" ctx={ctx} refreshS={props.refreshS}>
      <section class="card" aria-labelledby="sessions-h">
        <h2 id="sessions-h">Accounts held ({props.held})</h2>
        <form method="get" action="/" class="row" role="search">
          <label for="filter">Filter by user name</label>
          <input id="filter" name="name" type="search" value={filter} maxLength={128} />
          <button type="submit">Filter</button>
          {filter && <a href="/">Show all</a>}
        </form>
        {sessions.length === 0 ? (
          <p class="muted">
            {filter
              ? `No session matches "${filter}".`
              : 'No session is held: clients log in on their first request.'}
          </p>
        ) : (
          <table>
            <caption class="muted">
              {filter ? `Sessions whose user name contains "${filter}"` : 'Every session held'}
            </caption>
            <thead>
              <tr>
                <th scope="col">User name</th>
                <th scope="col">State</th>
                <th scope="col">Expiries</th>
                <th scope="col">Last use</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {sessions.map((s) => (
                <tr key={`${s.username}-${s.loggedInAt}`}>
                  <td>{s.username}</td>
                  <td>
                    {s.state}
                    {s.lastError && <div class="muted">{s.lastError}</div>}
                  </td>
                  <td>
                    tokens <When iso={s.tokensExpireAt} now={now} />
                    {s.credentialsExpireAt && (
                      <div>
                        credentials <When iso={s.credentialsExpireAt} now={now} />
                      </div>
                    )}
                  </td>
                  <td>
                    <When iso={s.lastUsedAt} now={now} />
                  </td>
                  <td>
                    <div class="row">
                      <a
                        href={`/sessions/evict?username=${encodeURIComponent(s.username)}`}
                        aria-label={`Evict ${s.username}`}
                      >
                        Evict
                      </a>
                      <a
                        href={`/sessions/evict?username=${encodeURIComponent(s.username)}&revoke=true`}
                        aria-label={`Evict and revoke ${s.username}`}
                      >
                        Evict and revoke
                      </a>
                    </div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <div class="grid">
        <section class="card" aria-labelledby="logins-h">
          <h2 id="logins-h">Logins in the last hour</h2>
          {outcomes.length === 0 ? (
            <p class="muted">None.</p>
          ) : (
            <dl class="facts" id="login-outcomes">
              {outcomes.map(([outcome, count]) => (
                <>
                  <dt>{outcome}</dt>
                  <dd>{count}</dd>
                </>
              ))}
            </dl>
          )}
        </section>
        <section class="card" aria-labelledby="traffic-h">
          <h2 id="traffic-h">Requests in the last hour</h2>
          <p>
            {traffic.total} served,{' '}
            {traffic.errorCount === 0
              ? 'no errors'
              : traffic.errors.map(([code, count]) => `${code}: ${count}`).join(', ')}
          </p>
        </section>
      </div>
      <section class="card">
        <TrafficChart minutes={props.requests} label="Requests per minute" />
      </section>
    </Layout>
  );
}

/** The confirmation before an eviction, saying what it ends. */
export function EvictPage(props: { ctx: PageContext; username: string; revoke: boolean }) {
  const { ctx, username, revoke } = props;
  return (
    <Layout title={revoke ? 'Evict and revoke' : 'Evict'} ctx={ctx}>
      <section class="card">
        <p>
          {revoke ? 'Evict and revoke' : 'Evict'} every session of <strong>{username}</strong>?
        </p>
        <ul>
          <li>The proxy drops their tokens and credentials; their next request logs in again.</li>
          {revoke && (
            <li>
              Their refresh tokens are revoked at Cognito first, so no copy of them works anymore.
            </li>
          )}
        </ul>
        <form method="post" action="/sessions/evict" class="row">
          <Csrf token={ctx.csrf} />
          <input type="hidden" name="username" value={username} />
          <input type="hidden" name="revoke" value={revoke ? 'true' : 'false'} />
          <button type="submit" class="danger">
            {revoke ? 'Yes, evict and revoke' : 'Yes, evict'}
          </button>
          <a href="/">No, back to the list</a>
        </form>
      </section>
    </Layout>
  );
}
