/**
 * One asynchronous job at a time. `join` runs a job unless one is already running, in which
 * case the caller shares the running one; `exclusive` waits for whatever runs and then runs
 * alone, so operator actions and refreshes never interleave.
 */
export class SingleFlight {
  #current: Promise<void> | undefined;

  /** The job running now, settled (never rejects), if any. */
  get current(): Promise<void> | undefined {
    return this.#current;
  }

  /** Run `job`, or share the one already running. */
  join(job: () => Promise<void>): Promise<void> {
    return this.#current ?? this.#start(job);
  }

  /** Run `job` alone, after whatever is running; its result or error is the caller's. */
  async exclusive<T>(job: () => Promise<T>): Promise<T> {
    while (this.#current) await this.#current;
    let result!: Promise<T>;
    await this.#start(() => {
      result = job();
      return result.then(() => undefined);
    });
    return result;
  }

  #start(job: () => Promise<void>): Promise<void> {
    const settled = job().then(
      () => undefined,
      () => undefined,
    );
    this.#current = settled;
    void settled.then(() => {
      if (this.#current === settled) this.#current = undefined;
    });
    return settled;
  }
}
