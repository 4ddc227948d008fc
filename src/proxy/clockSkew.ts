const stamp = /\b(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z\b/g;

/**
 * Seconds the proxy's clock is behind the upstream's (negative: ahead), from API Gateway's
 * "Signature expired: <signed> is now earlier than <limit> (<now> - 5 min.)" or "Signature not
 * yet current: <signed> is still later than <limit> (<now> + 5 min.)": the first timestamp is
 * ours, the last the gateway's. Undefined when the message has no such pair.
 */
export function clockSkewSeconds(message: string): number | undefined {
  const times = [...message.matchAll(stamp)].map(([, y, mo, d, h, mi, s]) =>
    Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s)),
  );
  const ours = times[0];
  const theirs = times[times.length - 1];
  if (times.length < 2 || ours === undefined || theirs === undefined) return undefined;
  return Math.round((theirs - ours) / 1000);
}
