import type { SessionStatus } from '../../../session/index.js';
import { Layout, type PageContext } from './Layout.js';
import { When } from './Time.js';
import { summarize, TrafficChart, type MinuteCounts } from './TrafficChart.js';

/** Each state in plain words, and what the operator does next (a link on this console). */
export const stateWords: Record<
  SessionStatus['state'],
  { says: string; next?: { text: string; href: string }; tone: 'ready' | 'degraded' | 'bad' }
> = {
  starting: { says: 'Logging in to Scribe for the first time.', tone: 'degraded' },
  ready: { says: 'Ready: requests are signed with this account.', tone: 'ready' },
  degraded: {
    says: 'Serving with what it holds, but refreshing it fails (see the last error); it keeps trying with backoff.',
    tone: 'degraded',
  },
  unavailable: {
    says: 'Nothing valid is held and Cognito cannot be reached: requests get 503 until a refresh works. It keeps trying.',
    tone: 'bad',
  },
  'needs-login': {
    says: 'Not logged in: requests get 503.',
    next: { text: 'Log in with a username and password', href: '/login' },
    tone: 'bad',
  },
  'mfa-required': {
    says: 'Cognito asks for an MFA code before it lets this account in.',
    next: { text: 'Enter a code from the authenticator app', href: '/login' },
    tone: 'bad',
  },
  'new-password-required': {
    says: 'The password is temporary: Cognito asks for a new one before the first use.',
    next: { text: 'Choose a new password', href: '/login' },
    tone: 'bad',
  },
  'mfa-unsupported': {
    says: 'Cognito asks this account for an SMS or e-mailed code, which the proxy cannot answer: requests get 503. It is not tried again.',
    next: { text: 'Log in with an account that uses an authenticator app (TOTP)', href: '/login' },
    tone: 'bad',
  },
  'login-refused': {
    says: 'Cognito refused this account with an answer the proxy does not know (see the last error): requests get 503. It is not tried again.',
    next: { text: 'Log in again once the account is fixed', href: '/login' },
    tone: 'bad',
  },
};

/** A latency in ms, rounded for reading. */
const ms = (value: number | undefined) =>
  value === undefined ? 'none yet' : `${value < 10 ? value.toFixed(1) : Math.round(value)} ms`;

/** Shared mode's front page: the session's state and times, and the last hour's traffic. */
export function StatusPage(props: {
  ctx: PageContext;
  status: SessionStatus;
  minutes: MinuteCounts[];
  now: number;
  refreshS: number;
}) {
  const { status, now } = props;
  const words = stateWords[status.state];
  const traffic = summarize(props.minutes);
  return (
    <Layout title="Status" ctx={props.ctx} refreshS={props.refreshS}>
      <section class="card" aria-labelledby="state-h">
        <h2 id="state-h">Session</h2>
        <div class="state">
          <span class={`badge ${words.tone}`} id="state">
            {status.state}
          </span>
          <span>{words.says}</span>
        </div>
        {words.next && (
          <p class="next">
            Next: <a href={words.next.href}>{words.next.text}</a>.
          </p>
        )}
        {status.pendingChallenge && status.state === 'ready' && (
          <p class="next">
            A login waits for an answer ({status.pendingChallenge}): <a href="/login">answer it</a>;
            the current session keeps serving meanwhile.
          </p>
        )}
        {status.configuredPasswordStale && (
          <p class="next">
            The password was changed here: update <code>SCRIBE_PASSWORD</code>, or the next start
            logs in with the old one.
          </p>
        )}
      </section>
      <div class="grid">
        <section class="card" aria-labelledby="account-h">
          <h2 id="account-h">Account</h2>
          <dl class="facts">
            <dt>User</dt>
            <dd id="username">{status.username ?? <span class="muted">not configured</span>}</dd>
            <dt>Mode</dt>
            <dd>{status.mode}</dd>
            <dt>Identity id</dt>
            <dd class="mono">{status.identityId ?? <span class="muted">none</span>}</dd>
            <dt>Last error</dt>
            <dd>{status.lastError ?? <span class="muted">none</span>}</dd>
          </dl>
        </section>
        <section class="card" aria-labelledby="times-h">
          <h2 id="times-h">Expiry</h2>
          <dl class="facts">
            <dt>Tokens expire</dt>
            <dd id="tokens-expire">
              <When iso={status.tokensExpireAt} now={now} />
            </dd>
            {status.mode === 'sigv4' && (
              <>
                <dt>Credentials expire</dt>
                <dd id="credentials-expire">
                  <When iso={status.credentialsExpireAt} now={now} />
                </dd>
              </>
            )}
            <dt>Next refresh</dt>
            <dd>
              <When iso={status.nextRefreshAt} now={now} none="none planned" />
            </dd>
            <dt>Last refresh</dt>
            <dd>
              <When iso={status.lastRefreshAt} now={now} none="never" />
            </dd>
          </dl>
        </section>
      </div>
      <section class="card" aria-labelledby="traffic-h">
        <h2 id="traffic-h">Requests in the last hour</h2>
        <dl class="facts">
          <dt>Served</dt>
          <dd id="served">{traffic.total}</dd>
          <dt>Errors</dt>
          <dd>
            {traffic.errorCount === 0
              ? 'none'
              : traffic.errors.map(([code, count]) => `${code}: ${count}`).join(', ')}
          </dd>
          <dt>Latency</dt>
          <dd>
            mean {ms(traffic.meanLatencyMs)}, max {ms(traffic.maxLatencyMs)}
          </dd>
        </dl>
        <TrafficChart minutes={props.minutes} label="Requests per minute" />
      </section>
    </Layout>
  );
}
