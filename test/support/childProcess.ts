import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';

/** A child process started for a test, with the URL it printed once ready. */
export interface StartedProcess {
  child: ChildProcess;
  url: string;
  output: () => string;
  stop: () => Promise<void>;
}

// eslint-disable-next-line no-control-regex
const ansi = /\x1b\[[0-9;]*m/g;

/**
 * Spawn a server and wait until a line of its output matches `ready` (whose first group is the
 * URL). Fails with the output so far if it exits first or takes longer than `timeoutMs`.
 */
export function startProcess(
  command: string,
  args: string[],
  options: SpawnOptions & { ready: RegExp; timeoutMs?: number; name: string },
): Promise<StartedProcess> {
  const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), 3000).unref();
    });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void stop();
      reject(new Error(`${options.name} did not start in time. Output:\n${output}`));
    }, options.timeoutMs ?? 20_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString('utf8').replace(ansi, '');
      const match = options.ready.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve({ child, url: match[1], output: () => output, stop });
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('error', (err) => {
      clearTimeout(timer);
      reject(new Error(`${options.name} could not start: ${err.message}`));
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${options.name} exited (${code}) before it was ready. Output:\n${output}`));
    });
  });
}
