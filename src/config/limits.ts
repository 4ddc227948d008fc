import type { Config } from './index.js';
import type { ConfigReader } from './ConfigReader.js';

const MiB = 1024 * 1024;

/**
 * What clients may make the process hold: one request body, all the bodies held at once, and
 * open connections per listener. Bodies held at once must leave room for one body at the limit,
 * or such a body would always be refused as an overload.
 */
export function readLimits(
  read: ConfigReader,
): Pick<
  Config,
  'maxBodyBytes' | 'maxBufferedBytes' | 'proxyMaxConnections' | 'adminMaxConnections'
> {
  const maxBodyBytes = read.integer('PROXY_MAX_BODY_BYTES', 10 * MiB, 0, 1024 * MiB);
  const maxBufferedBytes = read.integer('PROXY_MAX_BUFFERED_BYTES', 256 * MiB, 0, 64 * 1024 * MiB);
  if (maxBufferedBytes < maxBodyBytes) {
    read.problem(
      `invalid setting: PROXY_MAX_BUFFERED_BYTES (${maxBufferedBytes}) must be at least PROXY_MAX_BODY_BYTES (${maxBodyBytes})`,
    );
  }
  return {
    maxBodyBytes,
    maxBufferedBytes,
    proxyMaxConnections: read.integer('PROXY_MAX_CONNECTIONS', 1024, 1, 1_000_000),
    adminMaxConnections: read.integer('ADMIN_MAX_CONNECTIONS', 64, 1, 1_000_000),
  };
}
