import { execFile } from 'node:child_process';
import { cliBin } from './cli.js';

/** What a command did on a terminal: everything it showed there, and its exit code. */
export interface TerminalRun {
  code: number;
  screen: string;
}

// Python's pty module gives the command a real terminal (isTTY, raw mode, Ctrl-C as a key),
// which Node cannot open by itself. Each step waits for text on the screen, then types.
const driver = `
import json, os, pty, select, sys, time
argv, env, steps = json.loads(sys.argv[1]), json.loads(sys.argv[2]), json.loads(sys.argv[3])
pid, fd = pty.fork()
if pid == 0:
    os.execve(argv[0], argv, env)
screen, deadline = b'', time.time() + 20
def read(until):
    global screen
    while until is None or until.encode() not in screen:
        if time.time() > deadline: return False
        ready, _, _ = select.select([fd], [], [], 0.2)
        if not ready: continue
        try: chunk = os.read(fd, 4096)
        except OSError: return until is None
        if not chunk: return until is None
        screen += chunk
    return True
for wait, typed in steps:
    if not read(wait): break
    time.sleep(0.05)
    os.write(fd, typed.encode())
read(None)
_, status = os.waitpid(pid, 0)
print(json.dumps({'code': os.waitstatus_to_exitcode(status), 'screen': screen.decode('utf8', 'replace')}))
`;

/**
 * Run the built CLI on a terminal with only PATH plus `env`; `steps` are [text to wait for,
 * keys to type] (`\r` is Enter, `\x03` Ctrl-C, `\x04` Ctrl-D).
 */
export function runOnTerminal(
  args: string[],
  env: Record<string, string>,
  steps: Array<[string, string]>,
): Promise<TerminalRun> {
  const fullEnv = { PATH: process.env['PATH'] ?? '', TERM: 'dumb', ...env };
  return new Promise((resolve, reject) => {
    execFile(
      'python3',
      [
        '-c',
        driver,
        JSON.stringify([process.execPath, cliBin, ...args]),
        JSON.stringify(fullEnv),
        JSON.stringify(steps),
      ],
      { timeout: 30_000 },
      (error, stdout, stderr) => {
        if (error) return reject(new Error(`${error.message}\n${stderr}`));
        resolve(JSON.parse(stdout) as TerminalRun);
      },
    );
  });
}
