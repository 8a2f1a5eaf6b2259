import type { Highs } from 'highs';
import type { LinearProgram } from './linearProgram.ts';

export interface HighsRunSettings {
  integrality?: Int32Array | undefined;
  presolve?: boolean | undefined;
  timeLimitSeconds?: number | undefined;
  mipRelGap?: number | undefined;
  start?: Float64Array | undefined;
}

export interface HighsRun {
  status: 'optimal' | 'infeasible' | 'unbounded' | 'time-limit' | 'interrupted' | 'failed';
  feasible: boolean;
  x: Float64Array;
  rowValue: Float64Array;
  rowDual: Float64Array;
  objective: number;
  /** A MILP's dual bound after the run (NaN for an LP). */
  mipDualBound: number;
}

export declare function runMaximize(
  highs: Highs,
  lp: LinearProgram,
  options: HighsRunSettings,
  callbacks?: Parameters<ReturnType<Highs['createModel']>['run']>[0],
): HighsRun;
