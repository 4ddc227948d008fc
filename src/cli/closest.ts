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
  const ranked = names
    .map((name) => ({ name, d: distance(typed.toLowerCase(), name) }))
    .sort((x, y) => x.d - y.d);
  const best = ranked[0];
  return best && best.d <= 2 ? best.name : undefined;
}
