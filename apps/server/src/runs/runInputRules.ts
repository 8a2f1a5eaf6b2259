/**
 * The numeric rules of a run request's fields, written once. The server builds its input schema from them
 * (`runInput.ts`); `schema/printSchema.ts` prints them, beside schema.graphql, into the dashboard
 * (`apps/web/src/graphql/runInputRules.json`) so the form checks a field as it is typed with the server's
 * rules and words. Rules that need the model (input size, output count) or the server's configured limits
 * are the server's alone: the form shows its BAD_USER_INPUT / LIMIT_EXCEEDED beside the field it names.
 */
import { defaultTimeBudget } from '@argmax/core';
import { defaultSnapshotPolicy } from '../jobs/thread/snapshotSchedule.ts';

export interface NumberRule {
  integer?: boolean;
  min?: number;
  max?: number;
  /** Strictly above 0. */
  positive?: boolean;
}

/**
 * Snapshot policy bounds: at most 1000 dense snapshots plus 100 per decade keeps a 100 000-step run under
 * 1,500 stored inputs (about 4.5 MB for a 28×28 image).
 */
const MAX_DENSE = 1000;
const MAX_PER_DECADE = 100;

/** By input path, as BAD_USER_INPUT's `field` names it. */
export const runInputRules = {
  'target.index': { integer: true, min: 0 },
  steps: { integer: true, min: 1 },
  restarts: { integer: true, min: 1, max: 1024 },
  // As the CLI's --time-budget.
  timeBudgetSeconds: { min: 0.01, max: 86_400 },
  seed: { integer: true },
  learningRate: { positive: true },
  'constraints.box.lo': {},
  'constraints.box.hi': {},
  'constraints.linf.epsilon': { min: 0 },
  'constraints.l2.epsilon': { min: 0 },
  'constraints.quantizeLevels': { integer: true, min: 2, max: 65536 },
  'regularizers.l2': { min: 0 },
  'regularizers.tv': { min: 0 },
  'regularizers.blur': { min: 0 },
  'regularizers.blurEvery': { integer: true, min: 1 },
  'regularizers.jitter': { integer: true, min: 0, max: 8 },
  'certify.timeLimitSeconds': { min: 0 },
  'snapshots.dense': { integer: true, min: 0, max: MAX_DENSE },
  'snapshots.perDecade': { integer: true, min: 0, max: MAX_PER_DECADE },
  // As the CLI's --diverse: each prototype is a refined search of its own.
  diverse: { integer: true, min: 2, max: 8 },
  'accentuate.trainingIndex': { integer: true, min: 0 },
} as const satisfies Record<string, NumberRule>;

/**
 * What an absent field means. projected-adam without steps and restarts fits them to `timeBudgetSeconds`
 * (the core's default run, as the CLI's); `steps` and `restarts` fill in the other when one is given, and
 * serve the other methods.
 */
export const runInputDefaults = {
  timeBudgetSeconds: defaultTimeBudget,
  steps: 200,
  restarts: 16,
  method: 'PROJECTED_ADAM',
  box: { lo: 0, hi: 1 },
  snapshots: defaultSnapshotPolicy,
  prior: 'NONE',
} as const;

/** A condition on one input field; a field given as null counts as absent. */
export interface FieldCondition {
  path: string;
  /** true: the field is given; false: it is absent. */
  given?: boolean;
  /** Given, and one of these. */
  oneOf?: readonly string[];
  /** Absent, or none of these. */
  noneOf?: readonly string[];
}

/**
 * A rule across fields: where `when` holds, `requires` must hold too; a rule without `requires` refuses
 * the combination `when` describes. `message` is shown beside `field` (BAD_USER_INPUT's `field`).
 */
export interface CrossFieldRule {
  field: string;
  when: readonly FieldCondition[];
  requires?: readonly FieldCondition[];
  message: string;
}

const priors = ['FASHION_MNIST', 'MNIST'];
const classTargets = ['LOGIT', 'PROB', 'LOGPROB', 'MARGIN'];
const countedMethods = ['TRAINABLE_INPUT_LAYER', 'NORMALIZED_GRADIENT_ASCENT'];
const needsPrior = (field: string): CrossFieldRule => ({
  field,
  when: [{ path: field, given: true }],
  requires: [{ path: 'prior', oneOf: priors }],
  message: 'needs a prior (FASHION_MNIST or MNIST)',
});
// Accentuation and prototypes search one class's subspace.
const needsClassTarget = (field: string): CrossFieldRule => ({
  field,
  when: [{ path: field, given: true }],
  requires: [{ path: 'target.kind', oneOf: classTargets }],
  message: 'needs a class target (LOGIT, PROB, LOGPROB or MARGIN)',
});

/**
 * The rules between a run request's fields, by name, checked in this order (the server reports the first
 * broken; the form shows the first broken beside each field). Rules that need the model stay in `runInput.ts`.
 */
export const crossFieldRules = {
  budgetOnlyProjectedAdam: {
    field: 'timeBudgetSeconds',
    when: [
      { path: 'timeBudgetSeconds', given: true },
      { path: 'method', oneOf: countedMethods },
    ],
    message: 'applies to PROJECTED_ADAM only (the other methods take steps and restarts)',
  },
  budgetOrCounts: {
    field: 'timeBudgetSeconds',
    when: [
      { path: 'timeBudgetSeconds', given: true },
      { path: 'method', noneOf: countedMethods },
    ],
    requires: [
      { path: 'steps', given: false },
      { path: 'restarts', given: false },
    ],
    message: 'give a time budget or steps and restarts, not both',
  },
  priorReplacesConstraints: {
    field: 'prior',
    when: [{ path: 'prior', oneOf: priors }],
    requires: ['linf', 'l2', 'fixedMask', 'linear', 'quantizeLevels'].map((name) => ({
      path: `constraints.${name}`,
      given: false,
    })),
    message:
      'a prior replaces the other input constraints (linf, l2, fixedMask, linear, quantizeLevels): keep only the box',
  },
  accentuateNeedsPrior: needsPrior('accentuate'),
  accentuateNeedsClassTarget: needsClassTarget('accentuate'),
  diverseNeedsPrior: needsPrior('diverse'),
  diverseNeedsClassTarget: needsClassTarget('diverse'),
  diverseWithoutAccentuation: {
    field: 'diverse',
    when: [
      { path: 'accentuate', given: true },
      { path: 'diverse', given: true },
    ],
    message: 'an accentuation searches around one anchor: ask for prototypes without it',
  },
  referenceForReferenceAnchor: {
    field: 'accentuate.reference',
    when: [{ path: 'accentuate.anchor', oneOf: ['REFERENCE'] }],
    requires: [{ path: 'accentuate.reference', given: true }],
    message: 'give the reference image (one value per input) for REFERENCE',
  },
  referenceOnlyForReferenceAnchor: {
    field: 'accentuate.reference',
    when: [
      { path: 'accentuate.reference', given: true },
      { path: 'accentuate.anchor', noneOf: ['REFERENCE'] },
    ],
    message: 'give a reference only with anchor REFERENCE',
  },
  indexForTrainingAnchor: {
    field: 'accentuate.trainingIndex',
    when: [{ path: 'accentuate.anchor', oneOf: ['TRAINING'] }],
    requires: [{ path: 'accentuate.trainingIndex', given: true }],
    message: "give the row of the prior's training sample for TRAINING",
  },
  indexOnlyForTrainingAnchor: {
    field: 'accentuate.trainingIndex',
    when: [
      { path: 'accentuate.trainingIndex', given: true },
      { path: 'accentuate.anchor', noneOf: ['TRAINING'] },
    ],
    message: 'give a training index only with anchor TRAINING',
  },
} as const satisfies Record<string, CrossFieldRule>;

/** The cross-field rules `input` (a run request) breaks, in order. */
export function brokenCrossFieldRules(input: unknown): CrossFieldRule[] {
  return Object.values<CrossFieldRule>(crossFieldRules).filter(
    (rule) =>
      rule.when.every((c) => holds(c, input)) && !(rule.requires?.every((c) => holds(c, input)) ?? false),
  );
}

function holds(c: FieldCondition, input: unknown): boolean {
  const value = valueAt(input, c.path);
  if (c.given !== undefined && c.given !== (value !== undefined)) return false;
  if (c.oneOf && !(typeof value === 'string' && c.oneOf.includes(value))) return false;
  if (c.noneOf && typeof value === 'string' && c.noneOf.includes(value)) return false;
  return true;
}

/** The value at a dotted path, or undefined where it is absent or null. */
function valueAt(input: unknown, path: string): unknown {
  let value = input;
  for (const key of path.split('.')) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value ?? undefined;
}

/** The message for a number that breaks `rule`, or null when it keeps it (the words both sides show). */
export function breaksRule(rule: NumberRule, value: number): string | null {
  if (!Number.isFinite(value)) return 'must be a finite number';
  if (rule.integer && !Number.isInteger(value)) return 'must be a whole number';
  if (rule.positive && value <= 0) return 'must be > 0';
  if (rule.min !== undefined && value < rule.min) return `must be ≥ ${rule.min}`;
  if (rule.max !== undefined && value > rule.max) return `must be ≤ ${rule.max}`;
  return null;
}
