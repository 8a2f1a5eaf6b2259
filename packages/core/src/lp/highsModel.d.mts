import type { Highs } from 'highs';
import type { LinearProgram } from './linearProgram.ts';

export declare function createMaximizeModel(
  highs: Highs,
  lp: LinearProgram,
  integrality: Int32Array | undefined,
): ReturnType<Highs['createModel']>;
