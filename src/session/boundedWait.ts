/**
 * Wait for `promise` (which never rejects), at most `ms`; an aborted `signal` ends the wait at
 * once with its reason.
 */
export function boundedWait(
  promise: Promise<void>,
  ms: number,
  signal: AbortSignal | undefined,
): Promise<void> {
  if (signal?.aborted) return Promise.reject(signal.reason as Error);
  return new Promise((resolve, reject) => {
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    };
    const onAbort = () => {
      done();
      reject(signal?.reason as Error);
    };
    const timer = setTimeout(
      () => {
        done();
        resolve();
      },
      Math.max(0, ms),
    );
    signal?.addEventListener('abort', onAbort, { once: true });
    void promise.then(() => {
      done();
      resolve();
    });
  });
}

/** Wait for `promise` until `deadline` (epoch ms), or an aborted `signal`; true when it settled. */
export async function settledBefore(
  promise: Promise<unknown>,
  deadline: number,
  signal: AbortSignal | undefined,
): Promise<boolean> {
  let done = false;
  const settled = promise.then(
    () => void (done = true),
    () => void (done = true),
  );
  await boundedWait(settled, deadline - Date.now(), signal);
  return done;
}
