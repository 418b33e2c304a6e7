// "Did you mean ...?": the known name nearest to a mistyped one, by edit distance.

/**
 * The optimal-string-alignment distance between a and b: the fewest insertions, deletions,
 * substitutions and swaps of two adjacent characters that turn a into b ("omgea" -> "omega" is
 * one swap). O(|a| |b|) time, three rows of memory.
 */
export function editDistance(a: string, b: string): number {
  let before = new Array<number>(b.length + 1).fill(0);
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  let row = new Array<number>(b.length + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      row[j] = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) row[j] = Math.min(row[j], before[j - 2] + 1);
    }
    [before, prev, row] = [prev, row, before];
  }
  return prev[b.length];
}

/**
 * The candidate nearest to `input` by editDistance, compared without case, when it is near
 * enough to be the name meant: at most 1 edit for names of up to 4 characters, 2 for longer ones
 * ("Rope" -> "rope" is 0 edits without case, "solvr" -> "solver" 1). undefined when none is that
 * near, when `input` is already a candidate, or when it is not a string.
 */
export function closestName(input: unknown, candidates: readonly string[]): string | undefined {
  if (typeof input !== "string" || input.length === 0 || input.length > 200 || candidates.includes(input)) return undefined;
  const lower = input.toLowerCase();
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of candidates) {
    const d = editDistance(lower, c.toLowerCase());
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  const allowed = Math.min(input.length, best?.length ?? 0) <= 4 ? 1 : 2;
  return bestDistance <= allowed ? best : undefined;
}

/** ` (did you mean "x"?)` for the nearest candidate, or "" when none is near. */
export function didYouMean(input: unknown, candidates: readonly string[]): string {
  const c = closestName(input, candidates);
  return c === undefined ? "" : ` (did you mean ${JSON.stringify(c)}?)`;
}
