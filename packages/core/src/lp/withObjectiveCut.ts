import type { LinearProgram } from './linearProgram.ts';

/** `lp` with one more row, its own objective ≥ `atLeast` (bounds and rows copied, `lp` left as it was). */
export function withObjectiveCut(lp: LinearProgram, atLeast: number): LinearProgram {
  const cols: number[] = [];
  const vals: number[] = [];
  lp.colCost.forEach((w, c) => {
    if (w !== 0) {
      cols.push(c);
      vals.push(w);
    }
  });
  const end = lp.starts[lp.numRows]!;
  return {
    ...lp,
    colLower: lp.colLower.slice(),
    colUpper: lp.colUpper.slice(),
    numRows: lp.numRows + 1,
    rowLower: append(new Float64Array(lp.numRows + 1), lp.rowLower, [atLeast - lp.offset]),
    rowUpper: append(new Float64Array(lp.numRows + 1), lp.rowUpper, [Number.POSITIVE_INFINITY]),
    starts: append(new Int32Array(lp.numRows + 2), lp.starts, [end + cols.length]),
    indices: append(new Int32Array(end + cols.length), lp.indices.subarray(0, end), cols),
    values: append(new Float64Array(end + cols.length), lp.values.subarray(0, end), vals),
  };
}

function append<T extends Float64Array | Int32Array>(into: T, head: ArrayLike<number>, tail: number[]): T {
  into.set(head);
  into.set(tail, head.length);
  return into;
}
