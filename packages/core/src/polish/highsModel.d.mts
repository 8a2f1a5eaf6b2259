import type { Highs } from 'highs';
import type { LinearProgram } from './regionLp.ts';

export declare function createMaximizeModel(
  highs: Highs,
  lp: LinearProgram,
  integrality: Int32Array | undefined,
): ReturnType<Highs['createModel']>;
