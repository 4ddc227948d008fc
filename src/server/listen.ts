import type { AddressInfo } from 'node:net';
import type { Listener } from './hardenedServer.js';

/** Start listening; resolves with the listener's URL (https when it serves TLS). */
export function listen(server: Listener, host: string, port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      const address = server.address() as AddressInfo;
      const shown = address.family === 'IPv6' ? `[${address.address}]` : address.address;
      const scheme = 'setSecureContext' in server ? 'https' : 'http';
      resolve(`${scheme}://${shown}:${address.port}`);
    });
  });
}

/** Wait for `promise`, or less: until `signal` aborts. */
export function untilAborted(
  promise: Promise<void>,
  signal: AbortSignal | undefined,
): Promise<void> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      signal.removeEventListener('abort', done);
      resolve();
    };
    signal.addEventListener('abort', done);
    void promise.then(done);
  });
}
