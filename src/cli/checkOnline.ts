import { isChallenge } from '../auth/index.js';
import type { Config } from '../config/index.js';
import { scribeAuthFor } from '../server/scribeAuthFor.js';
import { readSessionFile } from '../session/index.js';

/** One step of the online check: what was tried, and what came of it. */
export interface CheckStep {
  step: string;
  ok: boolean;
  detail: string;
}

/**
 * Try what the proxy will do first, step by step, and stop at the first failure: the login (a
 * refresh token from the configuration or the session file, else username and password), then in
 * sigv4 mode the identity id and the federated credentials. Nothing is written anywhere.
 */
export async function checkOnline(
  config: Config,
  env: NodeJS.ProcessEnv,
  report: (step: CheckStep) => void,
): Promise<boolean> {
  if (config.sessions === 'per-client') {
    report({
      step: 'login',
      ok: true,
      detail: 'skipped: in per-client mode each client logs in with its own account',
    });
    return true;
  }
  const auth = scribeAuthFor(config);
  try {
    const fromFile = config.sessionFile ? await readSessionFile(config.sessionFile) : undefined;
    const refreshToken = fromFile?.refreshToken ?? config.refreshToken;
    let idToken: string;
    const how = refreshToken
      ? `refresh token from ${fromFile ? config.sessionFile : 'SCRIBE_REFRESH_TOKEN'}`
      : `password of ${config.username}`;
    try {
      if (refreshToken) {
        const result = await auth.getTokens({ refreshToken, username: config.username });
        if (isChallenge(result)) throw new Error(`Cognito asked for ${result.challengeName}`);
        idToken = result.idToken;
      } else if (config.username && config.password) {
        const result = await auth.getTokens({
          username: config.username,
          password: config.password,
        });
        if (isChallenge(result)) {
          report({
            step: 'login',
            ok: false,
            detail: `${how}: Cognito asks for ${result.challengeName}; log in once with scribe-proxy login --session-file FILE`,
          });
          return false;
        }
        idToken = result.idToken;
      } else {
        report({
          step: 'login',
          ok: false,
          detail: 'nothing to log in with yet (no password, refresh token or session file)',
        });
        return false;
      }
    } catch (err) {
      report({ step: 'login', ok: false, detail: `${how}: ${(err as Error).message}` });
      return false;
    }
    report({ step: 'login', ok: true, detail: how });
    if (config.authMode !== 'sigv4') return true;

    let identityId: string;
    try {
      identityId = await auth.getFederatedId(idToken);
    } catch (err) {
      report({ step: 'identity id', ok: false, detail: (err as Error).message });
      return false;
    }
    report({ step: 'identity id', ok: true, detail: identityId });
    try {
      const credentials = await auth.getFederatedCredentials(identityId, idToken);
      report({
        step: 'credentials',
        ok: true,
        detail: `valid until ${credentials.expiration.toISOString()}`,
      });
    } catch (err) {
      report({ step: 'credentials', ok: false, detail: (err as Error).message });
      return false;
    }
    return true;
  } finally {
    auth.destroy();
  }
}
