import { Router, type RequestHandler } from 'express';
import { rateLimit } from 'express-rate-limit';
import type { OperatorActions, Session, SessionStatus } from '../../session/index.js';
import { revokeKeepingOnFailure } from '../adminRouter.js';
import { schemas } from '../schemas.js';
import {
  consoleSessionOf,
  formAction,
  FormError,
  pageContext,
  parseWith,
  takeNewPassword,
} from './formActions.js';
import { LoginPage } from './pages/LoginPage.js';
import { MfaPage } from './pages/MfaPage.js';
import { PasswordPage } from './pages/PasswordPage.js';
import { RevokePage } from './pages/RevokePage.js';
import { StatusPage } from './pages/StatusPage.js';
import type { MinuteCounts } from './pages/TrafficChart.js';
import { sendPage } from './render.js';

export interface SharedPagesOptions {
  session: Session;
  actions: OperatorActions;
  requests: { minutes(): MinuteCounts[] };
  /** Seconds between the status page's reloads (its script; default 30). */
  refreshS?: number;
  onAction?: (action: string, outcome: 'ok' | 'failed', detail?: string) => void;
}

/** What a login left the session in, in words, and the page to go on with. */
function afterLogin(status: SessionStatus): { text: string; to: string } {
  if (status.pendingChallenge === 'NEW_PASSWORD_REQUIRED') {
    return { text: 'The password is temporary: choose a new one.', to: '/login' };
  }
  if (status.pendingChallenge === 'SOFTWARE_TOKEN_MFA') {
    return { text: 'Cognito asks for an MFA code.', to: '/login' };
  }
  return { text: `Logged in as ${status.username ?? 'the user'}: ${status.state}.`, to: '/' };
}

/**
 * Shared mode's pages (behind the console session guard): status, first login, MFA set-up,
 * password, revoke. Each form calls the same OperatorActions method as the admin API's route,
 * validated with the same schema.
 */
export function sharedPages(options: SharedPagesOptions): Router {
  const { session, actions, onAction } = options;
  const router = Router();
  // Logins, codes and passwords spend the user's few Cognito attempts: at most 20 a minute.
  const attempts = rateLimit({
    windowMs: 60_000,
    limit: 20,
    handler: (req, res) => {
      consoleSessionOf(res).flash = {
        kind: 'error',
        text: 'Too many login and password attempts: wait a minute and try again.',
      };
      res.redirect(303, req.path.startsWith('/password') ? '/password' : '/login');
    },
  });
  const limited = new Set([
    'login',
    'new-password',
    'mfa',
    'mfa-verify',
    'password',
    'password-forgot',
    'password-confirm',
  ]);
  const form = (
    name: string,
    path: string,
    back: string,
    action: Parameters<typeof formAction>[2],
  ) => {
    const steps: RequestHandler[] = limited.has(name) ? [attempts] : [];
    const act = formAction(`console-${name}`, { done: back, back }, action, onAction);
    router.post(path, ...steps, act);
  };

  router.get('/', (_req, res) =>
    sendPage(
      res,
      200,
      <StatusPage
        ctx={pageContext(res, '/', 'shared')}
        status={session.status()}
        minutes={options.requests.minutes()}
        now={Date.now()}
        refreshS={options.refreshS ?? 30}
      />,
    ),
  );
  router.get('/login', (_req, res) =>
    sendPage(
      res,
      200,
      <LoginPage ctx={pageContext(res, '/login', 'shared')} status={session.status()} />,
    ),
  );
  router.get('/mfa', (_req, res) => {
    const setup = consoleSessionOf(res).mfaSetup;
    sendPage(
      res,
      200,
      <MfaPage ctx={pageContext(res, '/mfa', 'shared')} status={session.status()} setup={setup} />,
    );
  });
  router.get('/password', (_req, res) => {
    const resetFor = consoleSessionOf(res).resetFor;
    sendPage(
      res,
      200,
      <PasswordPage
        ctx={pageContext(res, '/password', 'shared')}
        status={session.status()}
        resetFor={resetFor}
      />,
    );
  });
  router.get('/revoke', (_req, res) =>
    sendPage(
      res,
      200,
      <RevokePage ctx={pageContext(res, '/revoke', 'shared')} status={session.status()} />,
    ),
  );

  form('login', '/login', '/login', async (fields) => {
    const input = parseWith(schemas.login, {
      username: fields['username'],
      password: fields['password'],
    });
    return afterLogin(await actions.login(input));
  });
  form('new-password', '/login/new-password', '/login', async (fields) => {
    const input = parseWith(schemas.password, takeNewPassword(fields));
    return afterLogin(await actions.setPassword(input.newPassword));
  });
  form('mfa', '/login/mfa', '/login', async (fields) => {
    const input = parseWith(schemas.mfa, { code: fields['code'] });
    return afterLogin(await actions.answerMfa(input.code));
  });
  form('mfa-setup', '/mfa/setup', '/mfa', async (_fields, console) => {
    const { secret, otpauthUri } = await actions.startMfaSetup();
    console.mfaSetup = { secret, otpauthUri };
    return 'Scan the code (or type the secret) into the authenticator app, then enter a code.';
  });
  form('mfa-verify', '/mfa/verify', '/mfa', async (fields, console) => {
    if (!console.mfaSetup) throw new FormError('start the MFA set-up first');
    const input = parseWith(schemas.mfaVerify, { code: fields['code'] });
    await actions.verifyMfaSetup(input.code);
    console.mfaSetup = undefined;
    return 'MFA is on: password logins now ask for a code (set SCRIBE_MFA_SECRET to answer them unattended).';
  });
  form('mfa-cancel', '/mfa/cancel', '/mfa', async (_fields, console) => {
    console.mfaSetup = undefined;
    return 'MFA set-up cancelled: nothing changed.';
  });
  form('password', '/password/change', '/password', async (fields) => {
    const input = parseWith(schemas.password, takeNewPassword(fields));
    if (!input.password) throw new FormError('password: required');
    const status = await actions.setPassword(input.newPassword, input.password);
    return status.configuredPasswordStale
      ? 'Password changed. Update SCRIBE_PASSWORD, or the next start logs in with the old one.'
      : 'Password changed.';
  });
  form('password-forgot', '/password/forgot', '/password', async (fields, console) => {
    const input = parseWith(schemas.forgot, { username: fields['username'] });
    const delivery = await actions.requestPasswordReset(input.username);
    console.resetFor = input.username ?? session.status().username;
    const where = delivery.destination ? ` to ${delivery.destination}` : '';
    return `A reset code was sent${where}.`;
  });
  form('password-forgot-cancel', '/password/forgot/cancel', '/password', async (_f, console) => {
    console.resetFor = undefined;
    return 'Nothing was reset: send a code again when you need one.';
  });
  form('password-confirm', '/password/confirm', '/password', async (fields, console) => {
    if (!console.resetFor) throw new FormError('send a reset code first');
    const input = parseWith(schemas.confirm, {
      ...takeNewPassword(fields),
      username: console.resetFor,
    });
    const status = await actions.confirmPasswordReset(
      input.code,
      input.newPassword,
      input.username,
    );
    console.resetFor = undefined;
    return { text: `Password reset. The session is ${status.state}.`, to: '/' };
  });
  form('revoke', '/revoke', '/revoke', async (fields) => {
    if (fields['confirm'] !== 'yes') throw new FormError('confirm the revoke first');
    const status = await revokeKeepingOnFailure(actions);
    return {
      text: `Revoked: the proxy forgot its tokens and credentials. The session is ${status.state}.`,
      to: '/',
    };
  });
  return router;
}
