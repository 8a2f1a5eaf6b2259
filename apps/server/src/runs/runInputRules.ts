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

/** The message for a number that breaks `rule`, or null when it keeps it (the words both sides show). */
export function breaksRule(rule: NumberRule, value: number): string | null {
  if (!Number.isFinite(value)) return 'must be a finite number';
  if (rule.integer && !Number.isInteger(value)) return 'must be a whole number';
  if (rule.positive && value <= 0) return 'must be > 0';
  if (rule.min !== undefined && value < rule.min) return `must be ≥ ${rule.min}`;
  if (rule.max !== undefined && value > rule.max) return `must be ≤ ${rule.max}`;
  return null;
}
