import type { ComponentChildren } from 'preact';
import type { Flash } from '../consoleSessions.js';

/** What every signed-in page knows: where it is, the form token, a message to show once. */
export interface PageContext {
  mode: 'shared' | 'per-client';
  path: string;
  csrf: string;
  flash: Flash | undefined;
}

const sharedNav = [
  ['/', 'Status'],
  ['/login', 'First login'],
  ['/mfa', 'MFA set-up'],
  ['/password', 'Password'],
  ['/revoke', 'Revoke'],
] as const;
const perClientNav = [['/', 'Sessions']] as const;

/** The hidden CSRF field every state-changing form carries. */
export function Csrf(props: { token: string }) {
  return <input type="hidden" name="_csrf" value={props.token} />;
}

/** A message from the last action, announced to screen readers. */
export function FlashMessage(props: { flash: Flash | undefined }) {
  const { flash } = props;
  if (!flash) return null;
  return (
    <div class={`flash ${flash.kind}`} role={flash.kind === 'error' ? 'alert' : 'status'}>
      {flash.text}
    </div>
  );
}

/** The page frame: head, skip link, navigation, sign-out, the message, the content. */
export function Layout(props: {
  title: string;
  ctx?: PageContext;
  refreshS?: number;
  children: ComponentChildren;
}) {
  const { ctx } = props;
  const nav = ctx?.mode === 'per-client' ? perClientNav : sharedNav;
  return (
    <html lang="en">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${props.title} · scribe-proxy console`}</title>

        <link rel="icon" href="/console.svg" type="image/svg+xml" />
        <link rel="stylesheet" href="/console.css" />
        <script src="/console.js" defer />
      </head>
      <body data-refresh-s={props.refreshS}>
        <a class="skip" href="#main">
          Skip to content
        </a>
        <header class="top">
          <div class="bar">
            <span class="brand">scribe-proxy console</span>
            {ctx && (
              <nav aria-label="Console">
                <ul>
                  {nav.map(([href, label]) => (
                    <li key={href}>
                      <a href={href} aria-current={ctx.path === href ? 'page' : undefined}>
                        {label}
                      </a>
                    </li>
                  ))}
                </ul>
              </nav>
            )}
            {ctx && (
              <form method="post" action="/sign-out">
                <Csrf token={ctx.csrf} />
                <button type="submit">Sign out</button>
              </form>
            )}
          </div>
        </header>
        <main id="main">
          <h1>{props.title}</h1>
          <FlashMessage flash={ctx?.flash} />
          {props.children}
        </main>
      </body>
    </html>
  );
}
