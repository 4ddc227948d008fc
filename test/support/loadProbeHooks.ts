import { appendFileSync } from 'node:fs';

/**
 * A module hook that notes the URL of every module loaded into LOAD_PROBE_FILE, one a line, as it
 * loads: test/support/loadProbe.ts installs it in the process under test.
 */
export function load<T>(
  url: string,
  context: unknown,
  nextLoad: (url: string, context: unknown) => T,
): T {
  const file = process.env['LOAD_PROBE_FILE'];
  if (file) appendFileSync(file, `${url}\n`);
  return nextLoad(url, context);
}
