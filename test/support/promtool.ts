import { execFileSync } from 'node:child_process';

/**
 * Skip the test when promtool (Debian's prometheus package) is missing on a workstation, with a
 * message; in CI (`CI` set; .ci/run installs it) a missing promtool fails the test instead.
 */
export function requirePromtool(context: Mocha.Context): void {
  try {
    execFileSync('promtool', ['--version'], { stdio: 'ignore' });
  } catch {
    if (process.env['CI']) throw new Error('promtool is missing: .ci/run installs it');
    process.stderr.write('  (promtool missing: apt-get install -y prometheus; skipped)\n');
    context.skip();
  }
}
