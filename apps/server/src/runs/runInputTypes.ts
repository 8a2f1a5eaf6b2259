import { builder } from '../graphql/builder.ts';
import { PriorDatasetEnum } from '../models/modelTypes.ts';

const TargetKind = builder.enumType('TargetKind', {
  values: {
    LOGIT: { description: 'Pre-softmax value of class `index`.' },
    PROB: { description: 'Softmax probability of class `index`.' },
    LOGPROB: { description: 'Log-probability of class `index`.' },
    MARGIN: { description: 'Logit of `index` minus the largest other logit.' },
    UNIT: { description: 'Unit `index` of layer `layer`.' },
    CHANNEL: { description: 'Mean of channel `index` of layer `layer`.' },
  },
});

const Method = builder.enumType('Method', {
  values: {
    PROJECTED_ADAM: { description: 'Recommended: multi-start Adam that never leaves the constraints.' },
    NORMALIZED_GRADIENT_ASCENT: {
      description: 'Gradient ascent with L2-normalised steps (the classic answer; leaves the box).',
    },
    TRAINABLE_INPUT_LAYER: {
      description: 'A trainable Dense layer in front of the frozen model (the Keras trick).',
    },
  },
});

const Parameterization = builder.enumType('Parameterization', {
  values: ['PIXEL', 'SIGMOID', 'FOURIER'] as const,
});
const Sense = builder.enumType('LinearSense', {
  values: { LE: { description: '≤' }, GE: { description: '≥' } },
});

const TargetInput = builder.inputType('TargetInput', {
  fields: (t) => ({
    kind: t.field({ type: TargetKind, required: true }),
    index: t.int({ description: 'Class, unit or channel index.' }),
    layer: t.string({ description: 'Layer name, for UNIT and CHANNEL.' }),
  }),
});

const BoxInput = builder.inputType('BoxInput', {
  fields: (t) => ({ lo: t.float({ required: true }), hi: t.float({ required: true }) }),
});

const BallInput = builder.inputType('BallInput', {
  fields: (t) => ({
    reference: t.floatList({ required: true, description: 'Flat, in the model input order.' }),
    epsilon: t.float({ required: true }),
  }),
});

const MaskInput = builder.inputType('FixedMaskInput', {
  fields: (t) => ({
    indices: t.intList({ required: true, description: 'Flat input indices held at the reference.' }),
    reference: t.floatList({ required: true }),
  }),
});

const LinearInput = builder.inputType('LinearConstraintInput', {
  fields: (t) => ({
    weights: t.floatList({ description: 'One per input; or set mean.' }),
    mean: t.boolean({ description: 'Constrain the mean of all inputs.' }),
    sense: t.field({ type: Sense, required: true }),
    bound: t.float({ required: true }),
  }),
});

const ConstraintsInput = builder.inputType('ConstraintsInput', {
  fields: (t) => ({
    box: t.field({ type: BoxInput, description: 'Default [0, 1].' }),
    linf: t.field({ type: BallInput }),
    l2: t.field({ type: BallInput }),
    fixedMask: t.field({ type: MaskInput }),
    linear: t.field({ type: [LinearInput] }),
    quantizeLevels: t.int({ description: 'Round to this many levels at the end (e.g. 256).' }),
  }),
});

const RegularizersInput = builder.inputType('RegularizersInput', {
  fields: (t) => ({
    l2: t.float(),
    tv: t.float(),
    blur: t.float(),
    blurEvery: t.int(),
    jitter: t.int(),
  }),
});

const CertifyInput = builder.inputType('CertifyInput', {
  fields: (t) => ({
    timeLimitSeconds: t.float({
      description:
        "Seconds for the certificate after the optimisation (default: the server's, 10 unless configured; 0: none; at most the server limit).",
    }),
  }),
});

const SnapshotPolicyInput = builder.inputType('SnapshotPolicyInput', {
  description:
    'Which steps keep a full input snapshot: every step below `dense`, then `perDecade` per decade.',
  fields: (t) => ({
    dense: t.int({ description: 'Every step before this one (default 50, 0–1000).' }),
    perDecade: t.int({
      description: 'Log-spaced snapshots per decade of steps after that (default 20, 0–100).',
    }),
  }),
});

export const AnchorKind = builder.enumType('AnchorKind', {
  values: {
    TYPICAL: {
      description:
        "The prior's training image of the target class that the model scores highest (as the CLI's --accentuate).",
    },
    REFERENCE: { description: 'Your own image, given as `reference`.' },
    TRAINING: {
      description:
        "An image the server already holds: row `trainingIndex` of the prior's training sample (e.g. a run's `realism.nearest.index`).",
    },
  },
});

const AccentuateInput = builder.inputType('AccentuateInput', {
  description:
    "Feature accentuation: start from a real image and stay near it (the class search moved onto the image's projection onto the class subspace, within half the class ball's radius of it). The answer is never below that projection.",
  fields: (t) => ({
    anchor: t.field({ type: AnchorKind, required: true }),
    reference: t.floatList({
      description: 'REFERENCE: the image, flat in the model input order, values in the box.',
    }),
    trainingIndex: t.int({ description: "TRAINING: the row of the prior's training sample." }),
  }),
});

export const StartRunInput = builder.inputType('StartRunInput', {
  fields: (t) => ({
    target: t.field({ type: TargetInput, required: true }),
    method: t.field({ type: Method }),
    steps: t.int({
      description:
        'PROJECTED_ADAM without steps and restarts: chosen to fit timeBudgetSeconds. Otherwise default 200.',
    }),
    restarts: t.int({
      description:
        'Starts optimised together. PROJECTED_ADAM without steps and restarts: chosen to fit timeBudgetSeconds. Otherwise default 16.',
    }),
    timeBudgetSeconds: t.float({
      description:
        "PROJECTED_ADAM without steps and restarts: seconds for the gradient steps (default 4, as the CLI's --time-budget). One step is measured on the model; then the most starts (up to 128) whose 80 steps fit, or, where 128 do not, starts cut to the best 48, 24 and 8 after 3, 9 and 23 steps over 120 steps; at least 8 starts (then fewer steps, at least 20). The choice is the run's `budget`.",
    }),
    seed: t.int(),
    learningRate: t.float(),
    parameterization: t.field({ type: Parameterization }),
    constraints: t.field({ type: ConstraintsInput }),
    regularizers: t.field({ type: RegularizersInput }),
    certify: t.field({
      type: CertifyInput,
      description: 'Certified upper bound and gap after the run (ReLU networks, logit/margin targets).',
    }),
    snapshots: t.field({ type: SnapshotPolicyInput }),
    prior: t.field({
      type: PriorDatasetEnum,
      description:
        "Search only realistic inputs: the dataset's prior (class targets: the class's own subspace, shrunk until realistic), built once on first use. Default NONE. The model's input must be the dataset's 28×28 image; only the box may constrain it besides. Its certificate bounds the set searched (Run.certificate.region PRIOR), not the box.",
    }),
    accentuate: t.field({
      type: AccentuateInput,
      description:
        'With a prior and a class target: start from a real image (Run.accentuation). Has no certificate (certify defaults to 0).',
    }),
    diverse: t.int({
      description:
        'With a prior and a class target: also this many (2–8) distinct realistic prototypes from one search (Run.prototypes). Not with accentuate.',
    }),
  }),
});
