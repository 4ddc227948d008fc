/**
 * The soonest a planned refresh may follow now: something valid for only a few seconds (a pool
 * misconfigured, a clock misread) must not turn the schedule into a loop. Cognito never issues
 * tokens for less than five minutes, nor credentials for less than fifteen. Backoff after a
 * failure keeps its own times (at()).
 */
export const refreshFloorMs = 5_000;

/**
 * The longest a Node timer counts (2^31-1 ms, about 24.8 days): beyond, it fires after 1 ms, and
 * a plan that far out re-planned itself in a loop. A refresh that runs early finds nothing due.
 */
const longestTimerMs = 2_147_483_647;

/**
 * The one background timer of a session: runs `refresh` at the time last asked for. The timer
 * never keeps the process alive.
 */
export class RefreshScheduler {
  #timer: NodeJS.Timeout | undefined;
  #stopped = false;
  #plannedAt: number | undefined;

  constructor(private readonly refresh: () => void) {}

  /** Run at `at` (epoch ms), replacing any earlier plan; undefined: no plan. */
  at(at: number | undefined): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#plannedAt = this.#stopped ? undefined : at;
    if (this.#stopped || at === undefined) return;
    this.#timer = setTimeout(this.refresh, Math.min(longestTimerMs, Math.max(0, at - Date.now())));
    this.#timer.unref();
  }

  /** Plan a refresh that falls due at `at`, but never sooner than refreshFloorMs from now. */
  due(at: number | undefined): void {
    this.at(at === undefined ? undefined : Math.max(at, Date.now() + refreshFloorMs));
  }

  /** When the planned run is due (epoch ms), if one is planned. */
  get plannedAt(): number | undefined {
    return this.#plannedAt;
  }

  /** Cancel the plan for good. */
  stop(): void {
    this.#stopped = true;
    this.at(undefined);
  }
}
