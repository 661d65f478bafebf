/** Levenshtein distance: insertions, deletions and substitutions each cost 1. */
function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = row;
  }
  return prev[b.length];
}

/**
 * "did you mean ...?" for a name that matched nothing: the up to three nearest known names, or
 * the start of the known list when none is near, so the message always shows what exists.
 */
export function suggestion(name: string, known: readonly string[]): string {
  if (known.length === 0) return 'nothing is known here';
  // Near means at most about a third of the name differs: typos and case, not other metrics.
  const limit = Math.max(2, Math.floor(name.length / 3));
  const near = known
    .map((k) => ({ k, d: editDistance(name.toLowerCase(), k.toLowerCase()) }))
    .filter((x) => x.d <= limit)
    .sort((x, y) => x.d - y.d || x.k.localeCompare(y.k))
    .slice(0, 3)
    .map((x) => x.k);
  if (near.length) return `did you mean ${near.join(', ')}?`;
  const shown = known.slice(0, 12);
  return `known: ${shown.join(', ')}${known.length > shown.length ? `, ... (${known.length} in all)` : ''}`;
}
