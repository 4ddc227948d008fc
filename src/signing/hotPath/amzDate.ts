/** SigV4's dates for a moment: `20261129T101500Z` and `20261129`. */
export interface AmzDate {
  longDate: string;
  shortDate: string;
}

const pad = (n: number) => (n < 10 ? `0${n}` : String(n));

let cachedSecond = Number.NaN;
let cached: AmzDate = { longDate: '', shortDate: '' };

/**
 * The SigV4 date strings for `nowMs`, formatted once per second (the hot path signs thousands
 * of requests a second; toISOString and two regexes each would be wasted).
 */
export function amzDate(nowMs: number): AmzDate {
  const second = Math.floor(nowMs / 1000);
  if (second === cachedSecond) return cached;
  const d = new Date(second * 1000);
  const shortDate = `${d.getUTCFullYear()}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}`;
  const time = `${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}${pad(d.getUTCSeconds())}`;
  cached = { longDate: `${shortDate}T${time}Z`, shortDate };
  cachedSecond = second;
  return cached;
}
