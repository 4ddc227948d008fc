import type { SessionStatus } from '../../../session/index.js';
import { Csrf, Layout, type PageContext } from './Layout.js';
import { Field, NewPasswordFields } from './fields.js';

/** Change the password (current, new twice), or reset a forgotten one with an emailed code. */
export function PasswordPage(props: {
  ctx: PageContext;
  status: SessionStatus;
  resetFor: string | undefined;
}) {
  const { ctx, status, resetFor } = props;
  return (
    <Layout title="Password" ctx={ctx}>
      <div class="grid">
        <section class="card" aria-labelledby="change-h">
          <h2 id="change-h">Change the password</h2>
          <p class="muted">
            For <strong>{status.username ?? 'the logged-in user'}</strong>; the session goes on with
            the new one.
          </p>
          <form method="post" action="/password/change" class="stack">
            <Csrf token={ctx.csrf} />
            <Field
              label="Current password"
              name="password"
              id="change-current"
              type="password"
              autocomplete="current-password"
            />
            <NewPasswordFields prefix="change" />
            <div>
              <button type="submit">Change the password</button>
            </div>
          </form>
        </section>
        <section class="card" aria-labelledby="forgot-h">
          <h2 id="forgot-h">Forgotten password</h2>
          {!resetFor && (
            <form method="post" action="/password/forgot" class="stack">
              <Csrf token={ctx.csrf} />
              <Field
                label="Username"
                name="username"
                id="forgot-username"
                autocomplete="username"
                value={status.username}
                maxLength={128}
              />
              <div>
                <button type="submit">Send a reset code</button>
              </div>
            </form>
          )}
          {resetFor && (
            <form method="post" action="/password/confirm" class="stack">
              <Csrf token={ctx.csrf} />
              <p>
                A code was sent for <strong>{resetFor}</strong>. Enter it with a new password.
              </p>
              <Field
                label="Reset code"
                name="code"
                id="confirm-code"
                inputMode="numeric"
                pattern="[0-9]{4,10}"
                maxLength={10}
                autocomplete="one-time-code"
              />
              <NewPasswordFields prefix="confirm" />
              <div>
                <button type="submit">Reset the password</button>
              </div>
            </form>
          )}
          {resetFor && (
            <form method="post" action="/password/forgot/cancel" class="row">
              <Csrf token={ctx.csrf} />
              <button type="submit" class="plain">
                Start over
              </button>
            </form>
          )}
        </section>
      </div>
    </Layout>
  );
}
