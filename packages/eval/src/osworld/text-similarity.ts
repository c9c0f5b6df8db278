/** Texts are compared on this many characters at most: the comparison takes time in the product of lengths. */
const longest = 5_000;

/**
 * How alike two texts are, from 0 to 1: twice the length of their longest common subsequence over their
 * total length, the measure OSWorld's fuzzy_match takes from rapidfuzz's ratio (1 when equal).
 */
export function similarity(first: string, second: string): number {
  const a = first.slice(0, longest);
  const b = second.slice(0, longest);
  if (a.length + b.length === 0) return 1;
  let previous = new Uint16Array(b.length + 1);
  let current = new Uint16Array(b.length + 1);
  for (let row = 1; row <= a.length; row += 1) {
    for (let column = 1; column <= b.length; column += 1) {
      current[column] =
        a[row - 1] === b[column - 1]
          ? (previous[column - 1] ?? 0) + 1
          : Math.max(previous[column] ?? 0, current[column - 1] ?? 0);
    }
    [previous, current] = [current, previous];
  }
  return (2 * (previous[b.length] ?? 0)) / (a.length + b.length);
}
