import type { SessionStatus } from '../../../session/index.js';
import { Csrf, Layout, type PageContext } from './Layout.js';

/** Revoke, behind a confirmation that says what stops working. */
export function RevokePage(props: { ctx: PageContext; status: SessionStatus }) {
  const { ctx, status } = props;
  return (
    <Layout title="Revoke" ctx={ctx}>
      <section class="card" aria-labelledby="revoke-h">
        <h2 id="revoke-h">Revoke the refresh token</h2>
        <p>
          For <strong>{status.username ?? 'the session'}</strong>. Use it when a token may have
          leaked. What stops working:
        </p>
        <ul>
          <li>the refresh token is revoked at Cognito: no one can get new tokens with it;</li>
          <li>
            the proxy forgets its tokens, identity id and AWS credentials at once (credentials
            already issued stay valid at AWS until they expire, but the proxy no longer uses them);
          </li>
          <li>
            requests get 503 until the proxy logs in again: it does so by itself with the configured
            password, else it waits for a login on <a href="/login">First login</a>.
          </li>
        </ul>
        <form method="post" action="/revoke" class="stack">
          <Csrf token={ctx.csrf} />
          <input type="hidden" name="confirm" value="yes" />
          <div class="row">
            <button type="submit" class="danger">
              Yes, revoke
            </button>
            <a href="/">No, back to the status</a>
          </div>
        </form>
      </section>
    </Layout>
  );
}
