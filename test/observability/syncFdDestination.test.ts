import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { syncFdDestination } from '../../src/observability/syncFdDestination.js';

/** A child reading its stdin (a non-blocking socket on our side) after `delayMs`, to the end. */
function slowReader(delayMs: number) {
  const child = spawn(
    process.execPath,
    [
      '-e',
      `setTimeout(() => {
        const hash = require('node:crypto').createHash('sha256');
        let bytes = 0;
        process.stdin.on('data', (d) => { bytes += d.length; hash.update(d); });
        process.stdin.on('end', () => process.stdout.write(bytes + ' ' + hash.digest('hex')));
      }, ${delayMs});`,
    ],
    { stdio: ['pipe', 'pipe', 'inherit'] },
  );
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  const done = new Promise<string>((resolve) => child.once('close', () => resolve(out)));
  const fd = (child.stdin as unknown as { _handle: { fd: number } })._handle.fd;
  return { child, fd, done };
}

describe('the synchronous stdout destination', () => {
  it('writes each string whole, in order, as UTF-8 (a lone surrogate as U+FFFD, as Buffer does)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'scribe-syncfd-'));
    try {
      const file = join(dir, 'out.log');
      const fd = openSync(file, 'a');
      const lines = [
        '{"a":1}\n',
        '{"path":"/tä\u2028sk"}\n',
        'lone \ud800 half\n',
        'x'.repeat(70_000),
      ];
      const destination = syncFdDestination(fd);
      for (const line of lines) destination.write(line);
      closeSync(fd);
      expect(readFileSync(file).equals(Buffer.from(lines.join(''), 'utf8'))).to.equal(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('waits for a reader slower than the connection is deep and loses nothing of a long batch', async () => {
    const reader = slowReader(150);
    const batch = Array.from({ length: 4000 }, (_, n) => `{"n":${n},"pad":"${'é'.repeat(100)}"}\n`);
    const expected = Buffer.from(batch.join(''), 'utf8');
    // Over 800 KB into a socket buffer nobody reads yet: short writes, then EAGAIN until it drains.
    syncFdDestination(reader.fd).write(batch.join(''));
    reader.child.stdin.end();
    const [bytes, digest] = (await reader.done).split(' ');
    expect(Number(bytes)).to.equal(expected.length);
    expect(digest).to.equal(createHash('sha256').update(expected).digest('hex'));
  });

  it('stops writing, without throwing, once the reader is gone', async () => {
    const child = spawn(
      process.execPath,
      [
        '-e',
        "require('node:fs').closeSync(0); process.stdout.write('closed'); setTimeout(() => {}, 10000)",
      ],
      { stdio: ['pipe', 'pipe', 'inherit'] },
    );
    try {
      await new Promise((resolve) => child.stdout.once('data', resolve));
      const fd = (child.stdin as unknown as { _handle: { fd: number } })._handle.fd;
      const destination = syncFdDestination(fd);
      expect(() => destination.write('{"after":"the reader left"}\n')).not.to.throw();
      expect(() => destination.write('{"and":"again"}\n')).not.to.throw();
    } finally {
      child.kill();
    }
  });
});
