import type { Flash } from '../consoleSessions.js';
import { FlashMessage, Layout } from './Layout.js';

/** The admin token form: the token goes in a POST body only, never a URL or the page. */
export function SignInPage(props: { flash?: Flash }) {
  return (
    <Layout title="Sign in">
      <div class="card signin">
        <FlashMessage flash={props.flash} />
        <form method="post" action="/sign-in" class="stack">
          <div>
            <label for="token">Admin token</label>
            <input
              id="token"
              name="token"
              type="password"
              autocomplete="current-password"
              required
              maxLength={512}
              aria-describedby="token-help"
            />
            <p id="token-help" class="muted">
              The proxy's <code>ADMIN_TOKEN</code>. Signing in keeps a session for 30 minutes of
              inactivity, 8 hours at most.
            </p>
          </div>
          <div>
            <button type="submit">Sign in</button>
          </div>
        </form>
      </div>
    </Layout>
  );
}
