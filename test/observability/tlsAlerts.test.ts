import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { stringify } from 'yaml';
import { requirePromtool } from '../support/promtool.js';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../../../', import.meta.url));

/** The alert rules docs/tls.md tells operators to add, as the YAML they copy. */
async function documentedRules(): Promise<string> {
  const doc = await readFile(join(root, 'docs/tls.md'), 'utf8');
  const block = /```yaml\n(- alert: ScribeProxyCertificateExpiring[\s\S]*?)```/.exec(doc)?.[1];
  if (!block) throw new Error('docs/tls.md has no alert rules block');
  return block;
}

const gauge = 'scribe_proxy_tls_last_reload_successful{listener="proxy"}';
const fires = [
  { exp_labels: { listener: 'proxy', alertname: 'ScribeProxyCertificateReloadFailing' } },
];

describe("docs/tls.md's alert rules, run by promtool", function () {
  this.timeout(30_000);
  let dir: string;
  before(async function () {
    requirePromtool(this);
    dir = await mkdtemp(join(tmpdir(), 'scribe-alerts-'));
  });
  after(async function () {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('stay quiet through a normal renewal (certificate, then key) and fire on a reload that stays broken', async function () {
    await writeFile(
      join(dir, 'rules.yml'),
      `groups:\n  - name: scribe-proxy-tls\n    rules:\n${(await documentedRules())
        .split('\n')
        .map((line) => (line ? `      ${line}` : line))
        .join('\n')}`,
    );
    const at = (minutes: number) => `${minutes}m`;
    const cases = [
      // cp tls.crt, then tls.key: one failed load seen by a scrape, then the good pair.
      { values: '1 0 1x40', alerts: [] },
      // A renewal whose key never arrives: the old pair keeps serving, the alert fires.
      { values: '1 0x40', alerts: fires },
      // Failing on and off, each time repaired within minutes: not an outage of the rotation.
      { values: '1 0 0 1 1 0 1x35', alerts: [] },
    ];
    await writeFile(
      join(dir, 'tests.yml'),
      stringify({
        rule_files: ['rules.yml'],
        evaluation_interval: '1m',
        tests: cases.map((c) => ({
          interval: '1m',
          input_series: [
            { series: gauge, values: c.values },
            {
              series: 'scribe_proxy_tls_certificate_expiry_seconds{listener="proxy"}',
              values: '7776000x40',
            },
          ],
          alert_rule_test: [
            {
              eval_time: at(30),
              alertname: 'ScribeProxyCertificateReloadFailing',
              exp_alerts: c.alerts,
            },
            { eval_time: at(30), alertname: 'ScribeProxyCertificateExpiring', exp_alerts: [] },
          ],
        })),
      }),
    );
    const result = await run('promtool', ['test', 'rules', 'tests.yml'], { cwd: dir }).catch(
      (err: { stdout?: string; stderr?: string }) => err,
    );
    expect(`${result.stdout ?? ''}${result.stderr ?? ''}`).to.include('SUCCESS');
  });
});
