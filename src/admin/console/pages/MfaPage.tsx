import type { SessionStatus } from '../../../session/index.js';
import { Csrf, Layout, type PageContext } from './Layout.js';
import { TotpField } from './fields.js';
import { QrCode } from './QrCode.js';

/**
 * TOTP MFA set-up for the logged-in user: start (Cognito makes a secret), scan the QR code or type
 * the secret, then verify a code. The secret lives only in this console session until verified.
 */
export function MfaPage(props: {
  ctx: PageContext;
  status: SessionStatus;
  setup: { secret: string; otpauthUri: string } | undefined;
}) {
  const { ctx, status, setup } = props;
  // Cognito sets up MFA for a logged-in user (its access token): none while a login is pending.
  const loggedIn =
    status.tokensExpireAt !== undefined && Date.parse(status.tokensExpireAt) > Date.now();
  return (
    <Layout title="MFA set-up" ctx={ctx}>
      {!setup && !loggedIn && (
        <section class="card" aria-labelledby="start-h">
          <h2 id="start-h">Log in first</h2>
          <p>
            MFA is set up for a logged-in account, and the session has no login now (
            {status.state === 'new-password-required'
              ? 'the password is temporary: Cognito asks for a new one first'
              : `it is ${status.state}`}
            ). Finish the <a href="/login">First login</a>, then come back here.
          </p>
        </section>
      )}
      {!setup && loggedIn && (
        <section class="card" aria-labelledby="start-h">
          <h2 id="start-h">Add an authenticator app</h2>
          <p>
            Sets up time-based codes (TOTP) for <strong>{status.username ?? 'the account'}</strong>.
            Once verified, every password login asks for a code: set <code>SCRIBE_MFA_SECRET</code>{' '}
            to the same secret so the proxy can answer it unattended.
          </p>
          <form method="post" action="/mfa/setup" class="stack">
            <Csrf token={ctx.csrf} />
            <div>
              <button type="submit">Start MFA set-up</button>
            </div>
          </form>
        </section>
      )}
      {setup && (
        <section class="card" aria-labelledby="scan-h">
          <h2 id="scan-h">Scan, then verify</h2>
          <div class="grid">
            <div>
              <QrCode
                text={setup.otpauthUri}
                label="QR code of the authenticator secret; the same secret is written out beside it"
              />
            </div>
            <div>
              <p>Scan the code with an authenticator app, or type this secret into it:</p>
              <p class="secret mono" id="mfa-secret">
                {setup.secret}
              </p>
              <form method="post" action="/mfa/verify" class="stack">
                <Csrf token={ctx.csrf} />
                <TotpField id="verify-code" />
                <div class="row">
                  <button type="submit">Verify and turn on MFA</button>
                </div>
              </form>
              <form method="post" action="/mfa/cancel" class="row">
                <Csrf token={ctx.csrf} />
                <button type="submit" class="plain">
                  Cancel
                </button>
              </form>
            </div>
          </div>
        </section>
      )}
    </Layout>
  );
}
