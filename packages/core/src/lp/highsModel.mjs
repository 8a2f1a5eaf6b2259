// Plain JavaScript so both the HiGHS worker thread (no TypeScript loader) and the certifier can use it.

/** A HiGHS model that maximises `lp` (CSR rows), with `integrality` marking integer columns. */
export function createMaximizeModel(highs, lp, integrality) {
  return highs.createModel({
    numCols: lp.numCols,
    numRows: lp.numRows,
    sense: highs.constants.objectiveSense.maximize,
    offset: lp.offset,
    colCost: lp.colCost,
    colLower: lp.colLower,
    colUpper: lp.colUpper,
    rowLower: lp.rowLower,
    rowUpper: lp.rowUpper,
    matrix: {
      format: 'csr',
      numRows: lp.numRows,
      numCols: lp.numCols,
      starts: lp.starts,
      indices: lp.indices,
      values: lp.values,
    },
    ...(integrality ? { integrality } : {}),
  });
}
