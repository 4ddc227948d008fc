/** The name nearest to a mistyped one (edit distance at most 2), if any. */
export function closest(typed: string, names: string[]): string | undefined {
  const distance = (a: string, b: string): number => {
    const row = Array.from({ length: b.length + 1 }, (_, j) => j);
    for (let i = 1; i <= a.length; i++) {
      let diagonal = row[0] ?? 0;
      row[0] = i;
      for (let j = 1; j <= b.length; j++) {
        const above = row[j] ?? 0;
        const cost = a[i - 1] === b[j - 1] ? 0 : 1;
        row[j] = Math.min(above + 1, (row[j - 1] ?? 0) + 1, diagonal + cost);
        diagonal = above;
      }
    }
    return row[b.length] ?? Infinity;
  };
  const lower = typed.toLowerCase();
  // A name more than two letters longer or shorter is never within reach: skip the work (a
  // stray argument may be 128 KiB long).
  const ranked = names
    .filter((name) => Math.abs(name.length - lower.length) <= 2)
    .map((name) => ({ name, d: distance(lower, name) }))
    .sort((x, y) => x.d - y.d);
  const best = ranked[0];
  return best && best.d <= 2 ? best.name : undefined;
}
