import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { cliBin } from '../support/cli.js';
import { eventually } from '../support/eventually.js';
import { TcpRelay } from '../support/tcpRelay.js';

describe('faults: signals', function () {
  this.timeout(30_000);
  let relay: TcpRelay;

  before(async function () {
    // Accepts every connection and never answers: a Cognito hanging at start.
    relay = await new TcpRelay(new URL('http://127.0.0.1:9')).start();
    relay.set('blackhole');
  });
  after(async function () {
    await relay?.stop();
  });

  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(`${signal} during the first login (Cognito hanging) drains and exits 0`, async function () {
      const seen = relay.accepted.blackhole;
      const child = spawn(process.execPath, [cliBin, 'serve'], {
        env: {
          PATH: process.env['PATH'] ?? '',
          SCRIBE_CLIENT_ID: 'client',
          SCRIBE_USER_POOL_ID: 'eu-west-2_hanging',
          SCRIBE_IDENTITY_POOL_ID: 'eu-west-2:hanging',
          SCRIBE_USERNAME: 'someone',
          SCRIBE_PASSWORD: 'Some-Passw0rd!',
          SCRIBE_COGNITO_ENDPOINT: relay.url,
          SCRIBE_IDENTITY_ENDPOINT: relay.url,
          PROXY_PORT: '0',
          ADMIN_PORT: '0',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      child.stdout.on('data', (c: Buffer) => (out += c.toString()));
      child.stderr.on('data', (c: Buffer) => (out += c.toString()));
      const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) =>
        child.on('exit', (code, sig) => resolve({ code, signal: sig })),
      );
      try {
        // A process starting on a loaded machine may take seconds to listen.
        await eventually(() => out.includes('"event":"listening"'), 20_000);
        expect(out).to.include('"event":"listening"');
        // The first login has reached the hanging Cognito (not: a second has passed).
        const hanging = await eventually(() => relay.accepted.blackhole > seen);
        expect(hanging, 'the first login never reached Cognito').to.equal(true);
        const signalled = Date.now();
        child.kill(signal);
        const result = await exited;
        expect(result, out).to.deep.equal({ code: 0, signal: null });
        expect(Date.now() - signalled).to.be.below(5_000);
        expect(out).to.include('"event":"shutdown"');
        expect(out).to.include('"event":"stopped"');
      } finally {
        // A failed check leaves no server running into later tests.
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      }
    });
  }
});
