import { writeSync } from 'node:fs';

// Where a string is encoded before its write; a longer one gets a Buffer of its own, once.
const bufferBytes = 16 * 1024;
const retryAfterMs = 100;
const sleeper = new Int32Array(new SharedArrayBuffer(4));

/** A pino destination: each string written whole to a file descriptor, before `write` returns. */
export interface SyncFdDestination {
  write(data: string): boolean;
}

/**
 * Writes each string to `fd` at once, synchronously: what pino's own destination (sonic-boom with
 * `sync: true`) does, without its bookkeeping around each write, which measures the string's
 * bytes, writes it, then encodes it again into a new Buffer only to drop what was written (three
 * passes over every batch of access log lines where this makes one; bench/optimisations.md).
 * As sonic-boom does: a full non-blocking pipe (EAGAIN) is waited on, 100 ms at a time, and a
 * short write is finished, so no line is lost or torn; a reader gone (EPIPE) ends the logging;
 * any other failure is thrown.
 */
export function syncFdDestination(fd: number): SyncFdDestination {
  const encoder = new TextEncoder();
  const buffer = Buffer.allocUnsafe(bufferBytes);
  let readerGone = false;
  return {
    write(data) {
      if (readerGone) return true;
      let bytes: Buffer | undefined;
      if (data.length <= bufferBytes) {
        const { read, written } = encoder.encodeInto(data, buffer);
        if (read === data.length) bytes = buffer.subarray(0, written);
      }
      bytes ??= Buffer.from(data, 'utf8');
      let offset = 0;
      while (offset < bytes.length) {
        try {
          offset += writeSync(fd, bytes, offset, bytes.length - offset);
        } catch (err) {
          const code = (err as NodeJS.ErrnoException).code;
          if (code === 'EPIPE') {
            readerGone = true;
            return true;
          }
          if (code !== 'EAGAIN' && code !== 'EBUSY') throw err;
          Atomics.wait(sleeper, 0, 0, retryAfterMs);
        }
      }
      return true;
    },
  };
}
