/**
 * The bytes of request bodies the proxy holds at once, all requests together
 * (PROXY_MAX_BUFFERED_BYTES): each body is bounded by PROXY_MAX_BODY_BYTES, and this bounds their
 * sum, so twenty large uploads at once cannot take the process's memory. A request takes its share
 * before it reads (its declared length, or each chunk of a chunked body as it arrives) and gives it
 * back when it ends, whichever way. One counter, added to and taken from: nothing per request.
 */
export class BodyBudget {
  #held = 0;

  /** `onRefused` is told of every request refused for want of room (a metric). */
  constructor(
    readonly limit: number,
    private readonly onRefused: () => void = () => {},
  ) {}

  /** Bytes held now. */
  get held(): number {
    return this.#held;
  }

  /** Take `bytes`; false (nothing taken, the refusal counted) when they do not fit. */
  take(bytes: number): boolean {
    if (this.#held + bytes > this.limit) {
      this.onRefused();
      return false;
    }
    this.#held += bytes;
    return true;
  }

  /** Give back what a request took. */
  giveBack(bytes: number): void {
    this.#held -= bytes;
  }
}
