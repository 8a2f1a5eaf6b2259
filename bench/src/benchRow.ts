/** One measured number. `ratio` is value / baseline when the suite ran a baseline in the same process. */
export interface BenchRow {
  suite: string;
  case: string;
  metric: string;
  value: number;
  unit: string;
  baseline?: number;
  ratio?: number;
  note?: string;
}

/** A suite measures and returns rows; `quick` asks for a shortened run (for smoke tests). */
export interface BenchSuite {
  name: string;
  /** `outDir`: the folder of the JSON report, where a suite may write pictures beside it. */
  run(options: { quick: boolean; log: (line: string) => void; outDir: string }): Promise<BenchRow[]>;
}

/**
 * A row as the suites write it: with a baseline measured in the same run, the ratio value / baseline too
 * (none where the baseline is 0); a note only where there is one.
 */
export function benchRow(fields: {
  suite: string;
  case: string;
  metric: string;
  value: number;
  unit: string;
  baseline?: number | undefined;
  note?: string | undefined;
}): BenchRow {
  const { baseline, note, ...row } = fields;
  return {
    ...row,
    ...(baseline !== undefined
      ? { baseline, ...(baseline !== 0 ? { ratio: row.value / baseline } : {}) }
      : {}),
    ...(note ? { note } : {}),
  };
}
