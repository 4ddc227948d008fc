import type { SessionStatus } from '../../../session/index.js';
import { Csrf, Layout, type PageContext } from './Layout.js';
import { Field, NewPasswordFields, TotpField } from './fields.js';

/**
 * First login: username and password, then what Cognito asks for (a new password for a temporary
 * one, typed twice; or an MFA code). The session keeps serving while a login is tried beside it.
 */
export function LoginPage(props: { ctx: PageContext; status: SessionStatus }) {
  const { ctx, status } = props;
  return (
    <Layout title="First login" ctx={ctx}>
      {status.pendingChallenge === 'NEW_PASSWORD_REQUIRED' && (
        <section class="card" aria-labelledby="newpw-h">
          <h2 id="newpw-h">Choose a new password</h2>
          <p>
            The password of <strong>{status.username}</strong> is temporary. Cognito asks for a new
            one before the account can be used.
          </p>
          <form method="post" action="/login/new-password" class="stack">
            <Csrf token={ctx.csrf} />
            <NewPasswordFields prefix="challenge" />
            <div>
              <button type="submit">Set the password</button>
            </div>
          </form>
        </section>
      )}
      {status.pendingChallenge === 'SOFTWARE_TOKEN_MFA' && (
        <section class="card" aria-labelledby="mfa-h">
          <h2 id="mfa-h">Enter an MFA code</h2>
          <p>
            Cognito asks <strong>{status.username}</strong> for a code from the authenticator app.
          </p>
          <form method="post" action="/login/mfa" class="stack">
            <Csrf token={ctx.csrf} />
            <TotpField id="login-code" />
            <div>
              <button type="submit">Verify</button>
            </div>
          </form>
        </section>
      )}
      <section class="card" aria-labelledby="login-h">
        <h2 id="login-h">Log in</h2>
        <p class="muted" id="login-help">
          Leave both empty to log in again with the configured <code>SCRIBE_USERNAME</code> and{' '}
          <code>SCRIBE_PASSWORD</code>
          {status.username ? (
            <>
              {' '}
              (<strong>{status.username}</strong>)
            </>
          ) : null}
          . A failed login leaves the current session as it is.
        </p>
        <form method="post" action="/login" class="stack">
          <Csrf token={ctx.csrf} />
          <Field
            label="Username"
            name="username"
            id="login-username"
            autocomplete="username"
            maxLength={128}
            required={false}
          />
          <Field
            label="Password"
            name="password"
            id="login-password"
            type="password"
            autocomplete="current-password"
            required={false}
          />
          <div>
            <button type="submit">Log in</button>
          </div>
        </form>
      </section>
    </Layout>
  );
}
