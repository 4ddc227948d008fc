/** A deadline the wheel holds: `fire` runs once, after `at`, unless it is removed first. */
export interface Deadline {
  /** When it falls due (ms, performance.now()). */
  at: number;
  /** Its length: sets how often the wheel looks (a tenth of it, within 5-250 ms). */
  ms: number;
  fire: () => void;
  /**
   * A count that grows while the awaited side makes progress (bytes read): each time the wheel
   * sees it change, the deadline moves to `ms` from then (an idle timeout).
   */
  progress?: () => number;
  lastProgress?: number;
}

const finestTickMs = 5;
const coarsestTickMs = 250;

/**
 * One coarse timer for many deadlines, instead of a timer each per request: each tick looks at
 * every deadline held (the requests in flight), so one falls due between its time and one tick
 * later. The interval runs only while something is held, and never keeps the process alive.
 */
export class TimerWheel {
  readonly #held = new Set<Deadline>();
  #interval: NodeJS.Timeout | undefined;
  #tickMs = coarsestTickMs;

  add(deadline: Deadline): void {
    this.#held.add(deadline);
    const tick = Math.min(coarsestTickMs, Math.max(finestTickMs, deadline.ms / 10));
    if (this.#interval && tick >= this.#tickMs) return;
    if (this.#interval) clearInterval(this.#interval);
    this.#tickMs = tick;
    this.#interval = setInterval(() => this.#tick(), tick);
    this.#interval.unref();
  }

  delete(deadline: Deadline): void {
    this.#held.delete(deadline);
    if (this.#held.size === 0 && this.#interval) {
      clearInterval(this.#interval);
      this.#interval = undefined;
      this.#tickMs = coarsestTickMs;
    }
  }

  #tick(): void {
    const now = performance.now();
    for (const deadline of this.#held) {
      if (deadline.progress) {
        const progress = deadline.progress();
        if (progress !== deadline.lastProgress) {
          deadline.lastProgress = progress;
          deadline.at = now + deadline.ms;
          continue;
        }
      }
      if (now >= deadline.at) {
        this.delete(deadline);
        deadline.fire();
      }
    }
  }
}
