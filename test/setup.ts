/**
 * Loaded by mocha before every spec (.mocharc.json). The pinned AWS SDK runs on Node 20; its
 * notice that releases from 2027 need Node 22 is noise in every test run (the CLI and the
 * container silence it the same way).
 */
import { findMotoServer } from './support/motoServer.js';
import { scanLogs } from './support/secretScan.js';

process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';

/** Before the suite, the peers it needs; after it, no log line any proxy wrote holds a secret. */
export const mochaHooks = {
  /** A missing peer fails the run at once, in one line that names the fix. */
  beforeAll(): void {
    findMotoServer();
  },
  afterAll(): void {
    const { leaks, lines } = scanLogs();
    if (leaks.length > 0) {
      throw new Error(`${leaks.length} of ${lines} log lines hold a secret:\n${leaks.join('\n')}`);
    }
  },
};
