/** A closed range of booklet numbers. */
export interface BookletRange {
  from: number;
  to: number;
}

/** Sorted numbers as the fewest closed ranges: [1,2,3,7] → [{1,3},{7,7}]. */
export function toRanges(numbers: readonly number[]): BookletRange[] {
  const sorted = [...new Set(numbers)].sort((a, b) => a - b);
  const ranges: BookletRange[] = [];
  for (const value of sorted) {
    const last = ranges[ranges.length - 1];
    if (last && value === last.to + 1) last.to = value;
    else ranges.push({ from: value, to: value });
  }
  return ranges;
}

/** Largest range one request may move (a département's whole stock is far below). */
export const MAX_BOOKLETS_PER_MOVE = 100_000;

/** Whether `range` is a valid range of a batch of `bookletCount` booklets. */
export function isValidRange(range: BookletRange, bookletCount: number): boolean {
  return (
    Number.isInteger(range.from) &&
    Number.isInteger(range.to) &&
    range.from >= 1 &&
    range.from <= range.to &&
    range.to <= bookletCount &&
    range.to - range.from + 1 <= MAX_BOOKLETS_PER_MOVE
  );
}
