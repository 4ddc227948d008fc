/** What every Cognito call is given: the signal that ends it at its deadline. */
export interface CallOptions {
  abortSignal: AbortSignal;
}

/**
 * Run one Cognito call under one overall deadline, from connecting to the last byte of the
 * answer's body. The SDK's own request timeout stops counting once headers arrive, so an answer
 * that stalls after them would never end: here the call is aborted (its socket destroyed) and
 * the caller gets a `TimeoutError` at the deadline, whatever the SDK does with the abort.
 */
export async function withinDeadline<T>(
  timeoutMs: number,
  call: (options: CallOptions) => Promise<T>,
): Promise<T> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const err = new Error(`Cognito gave no complete answer within ${timeoutMs} ms`);
      err.name = 'TimeoutError';
      controller.abort(err);
      reject(err);
    }, timeoutMs);
  });
  try {
    return await Promise.race([call({ abortSignal: controller.signal }), expired]);
  } finally {
    clearTimeout(timer);
  }
}
