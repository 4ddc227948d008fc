import { execFileSync } from 'node:child_process';
import { startProcess, type StartedProcess } from './childProcess.js';

/** Find `moto_server` on PATH, or fail saying how to get it. */
export function findMotoServer(): string {
  try {
    return execFileSync('sh', ['-c', 'command -v moto_server'], { encoding: 'utf8' }).trim();
  } catch {
    throw new Error(
      'moto_server is not on PATH: install it with `pip install "moto[server]==5.2.1"` ' +
        '(it is the only Cognito Identity implementation these tests can run against)',
    );
  }
}

/** Start moto_server on a free loopback port. */
export function startMotoServer(): Promise<StartedProcess> {
  return startProcess(findMotoServer(), ['-H', '127.0.0.1', '-p', '0'], {
    name: 'moto_server',
    ready: /Running on (http:\/\/127\.0\.0\.1:\d+)/,
    timeoutMs: 30_000,
  });
}
