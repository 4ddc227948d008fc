import FakeTimers from '@sinonjs/fake-timers';

/**
 * Jump this process's `Date` `ms` ahead (it keeps running from there; timers stay real), so what
 * a session holds is that much older. Returns the undo.
 */
export function jumpClock(ms: number): () => void {
  const clock = FakeTimers.install({
    toFake: ['Date'],
    now: Date.now() + ms,
    shouldAdvanceTime: true,
  });
  return () => clock.uninstall();
}
