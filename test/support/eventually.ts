/**
 * Wait until `test()` holds, checking every 25 ms, for at most `timeoutMs`; true if it came to
 * hold. For what a peer does soon but not at a moment a test can know: on a loaded machine a fixed
 * sleep before an assertion is a race, and this returns as soon as the thing happened.
 */
export async function eventually(
  test: () => boolean | Promise<boolean>,
  timeoutMs = 5_000,
): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await test()) return true;
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
