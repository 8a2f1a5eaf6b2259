/** A linear program in HiGHS's column/row form, the rows that build one, and what a solve returns. */

/** A linear program to maximise, in HiGHS's column/row form with a CSR matrix. */
export interface LinearProgram {
  numCols: number;
  numRows: number;
  colCost: Float64Array;
  offset: number;
  colLower: Float64Array;
  colUpper: Float64Array;
  rowLower: Float64Array;
  rowUpper: Float64Array;
  starts: Int32Array;
  indices: Int32Array;
  values: Float64Array;
}

export interface LpSolution {
  /** 'time-limit': stopped by its limit; 'interrupted': by the caller's stop flag (in process only). */
  status: 'optimal' | 'infeasible' | 'unbounded' | 'time-limit' | 'interrupted' | 'failed';
  /** Column values (meaningful when `feasible`). */
  x: Float64Array;
  /** Whether `x` is a feasible point (an optimal one is; a stopped MILP may have one). */
  feasible: boolean;
  rowValue: Float64Array;
  rowDual: Float64Array;
  /** `x`'s objective value (meaningful when `feasible`). */
  objective: number;
  /**
   * An upper bound on the maximum: the optimum when optimal, −∞ when infeasible, a stopped MILP's dual
   * bound, otherwise +∞ (unknown).
   */
  bound: number;
}

/** An LP's rows while they are built, in plain arrays (CSR); `packRows` makes them typed. */
export interface RowLists {
  starts: number[];
  indices: number[];
  values: number[];
  rowLower: number[];
  rowUpper: number[];
}

export function emptyRows(): RowLists {
  return { starts: [0], indices: [], values: [], rowLower: [], rowUpper: [] };
}

/**
 * Appends `lower ≤ sign·A_j·x (+ t) ≤ upper`: a hidden unit's pre-activation less its bias (row `j`
 * of the row-major `A`, `n` wide, zeros skipped), plus column `extra` with coefficient 1 if given
 * (an epigraph variable).
 */
export function pushUnitRow(
  rows: RowLists,
  A: Float64Array,
  n: number,
  j: number,
  sign: 1 | -1,
  extra: number | undefined,
  lower: number,
  upper: number,
): void {
  for (let i = 0; i < n; i++) {
    const a = A[j * n + i]!;
    if (a === 0) continue;
    rows.indices.push(i);
    rows.values.push(sign * a);
  }
  if (extra !== undefined) {
    rows.indices.push(extra);
    rows.values.push(1);
  }
  rows.starts.push(rows.indices.length);
  rows.rowLower.push(lower);
  rows.rowUpper.push(upper);
}

/** Rows collected in plain arrays (CSR), as the typed arrays of a LinearProgram. */
export function packRows(
  rows: RowLists,
): Pick<LinearProgram, 'numRows' | 'rowLower' | 'rowUpper' | 'starts' | 'indices' | 'values'> {
  return {
    numRows: rows.rowLower.length,
    rowLower: Float64Array.from(rows.rowLower),
    rowUpper: Float64Array.from(rows.rowUpper),
    starts: Int32Array.from(rows.starts),
    indices: Int32Array.from(rows.indices),
    values: Float64Array.from(rows.values),
  };
}

/** HiGHS's integrality vector: 1 for the columns listed in `integers`, 0 for the rest. */
export function integralityOf(numCols: number, integers: ArrayLike<number>): Int32Array {
  const integrality = new Int32Array(numCols);
  for (const i of Array.from(integers)) integrality[i] = 1;
  return integrality;
}
