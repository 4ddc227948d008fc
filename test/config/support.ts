import { ConfigError, loadConfig } from '../../src/config/index.js';

/** The least configuration that starts (shared mode, password login). */
export const minimal = {
  SCRIBE_CLIENT_ID: 'client',
  SCRIBE_USER_POOL_ID: 'eu-west-2_pool',
  SCRIBE_IDENTITY_POOL_ID: 'eu-west-2:pool',
  SCRIBE_USERNAME: 'me',
  SCRIBE_PASSWORD: 'pw',
};

/** The problems loadConfig reports for `env` (none when it loads). */
export function problems(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  return [];
}
