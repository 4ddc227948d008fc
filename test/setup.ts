/**
 * Loaded by mocha before every spec (.mocharc.json). The pinned AWS SDK runs on Node 20; its
 * notice that releases from 2027 need Node 22 is noise in every test run (the CLI and the
 * container silence it the same way).
 */
import { scanLogs } from './support/secretScan.js';

process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';

/** After the whole suite: no log line any proxy wrote in it holds a secret. */
export const mochaHooks = {
  afterAll(): void {
    const { leaks, lines } = scanLogs();
    if (leaks.length > 0) {
      throw new Error(`${leaks.length} of ${lines} log lines hold a secret:\n${leaks.join('\n')}`);
    }
  },
};
