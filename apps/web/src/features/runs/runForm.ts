import type { VariablesOf } from 'gql.tada';
import { runInputDefaults } from './runInputRules.ts';
import type { StartRunMutation } from './startRunMutation.ts';

export type StartRunInput = VariablesOf<typeof StartRunMutation>['input'];
export type TargetKind = StartRunInput['target']['kind'];
export type MethodName = NonNullable<StartRunInput['method']>;
export type PriorName = NonNullable<StartRunInput['prior']>;
/** Where an accentuation starts: NONE for a plain class search. */
export type AnchorChoice = 'NONE' | NonNullable<StartRunInput['accentuate']>['anchor'];

export const CLASS_TARGETS: readonly TargetKind[] = ['LOGIT', 'PROB', 'LOGPROB', 'MARGIN'];
export const LAYER_TARGETS: readonly TargetKind[] = ['UNIT', 'CHANNEL'];
export const METHODS: readonly { value: MethodName; label: string }[] = [
  { value: 'PROJECTED_ADAM', label: 'Projected Adam (recommended)' },
  { value: 'NORMALIZED_GRADIENT_ASCENT', label: 'Normalised gradient ascent' },
  { value: 'TRAINABLE_INPUT_LAYER', label: 'Trainable input layer' },
];

/** What the new-run form holds; numbers stay strings until validated, as typed. */
export interface RunFormValues {
  modelId: string;
  targetKind: TargetKind;
  targetIndex: string;
  targetLayer: string;
  method: MethodName;
  parameterization: '' | 'PIXEL' | 'SIGMOID' | 'FOURIER';
  /** Empty for Projected Adam: both fitted to the time budget (the server's default run). */
  steps: string;
  restarts: string;
  /** Seconds for Projected Adam's steps when steps and restarts are left empty; empty: the server's default. */
  timeBudgetSeconds: string;
  seed: string;
  learningRate: string;
  boxLo: string;
  boxHi: string;
  ball: 'none' | 'linf' | 'l2';
  epsilon: string;
  /** Flat reference input (model input order) for the ball and the fixed mask. */
  reference: number[] | null;
  /** Pixels (row-major, all channels) held at the reference. */
  maskPixels: number[];
  quantizeLevels: string;
  regL2: string;
  regTv: string;
  regBlur: string;
  regBlurEvery: string;
  regJitter: string;
  /** Seconds for the certified upper bound after the run (0: none; empty: the server's default). */
  certifySeconds: string;
  snapshotDense: string;
  snapshotPerDecade: string;
  /** Search only realistic inputs: a dataset's prior (NONE: the constraints alone). */
  prior: PriorName;
  /** With a prior: start from a real image (the class's top-scoring training image, or `anchorReference`). */
  accentuate: AnchorChoice;
  /** The user's anchor image for REFERENCE, flat in the model input order. */
  anchorReference: number[] | null;
  /** The row of the prior's training sample for TRAINING (as the realism panel numbers it). */
  anchorTrainingIndex: string;
  /** With a prior: this many distinct prototypes (empty: none). */
  diverse: string;
}

export const defaultRunForm = (modelId: string): RunFormValues => ({
  modelId,
  targetKind: 'LOGIT',
  targetIndex: '0',
  targetLayer: '',
  method: 'PROJECTED_ADAM',
  parameterization: '',
  steps: '',
  restarts: '',
  timeBudgetSeconds: '',
  seed: '1',
  learningRate: '',
  boxLo: String(runInputDefaults.box.lo),
  boxHi: String(runInputDefaults.box.hi),
  ball: 'none',
  epsilon: '0.1',
  reference: null,
  maskPixels: [],
  quantizeLevels: '',
  regL2: '',
  regTv: '',
  regBlur: '',
  regBlurEvery: '',
  regJitter: '',
  certifySeconds: '10',
  snapshotDense: String(runInputDefaults.snapshots.dense),
  snapshotPerDecade: String(runInputDefaults.snapshots.perDecade),
  prior: 'NONE',
  accentuate: 'NONE',
  anchorReference: null,
  anchorTrainingIndex: '',
  diverse: '',
});

/** The model facts the form checks against. */
export interface FormModel {
  id: string;
  inputShape: readonly number[];
  outputCount: number;
}
