import type { ApiProblem } from '../../api/apiProblems.ts';

/** Input paths the run form shows a message beside (the server's BAD_USER_INPUT `field` values). */
const FORM_FIELDS = new Set([
  'modelId',
  'target.kind',
  'target.index',
  'target.layer',
  'method',
  'parameterization',
  'steps',
  'restarts',
  'timeBudgetSeconds',
  'seed',
  'learningRate',
  'constraints.box.lo',
  'constraints.box.hi',
  'constraints.linf.epsilon',
  'constraints.linf.reference',
  'constraints.l2.epsilon',
  'constraints.l2.reference',
  'constraints.fixedMask.reference',
  'constraints.fixedMask.indices',
  'constraints.quantizeLevels',
  'regularizers.l2',
  'regularizers.tv',
  'regularizers.blur',
  'regularizers.blurEvery',
  'regularizers.jitter',
  'certify.timeLimitSeconds',
  'snapshots.dense',
  'snapshots.perDecade',
  'prior',
  'accentuate',
  'accentuate.reference',
  'accentuate.trainingIndex',
  'diverse',
]);

/**
 * Which form field a server problem belongs beside: its `field` (or the nearest shown field under it,
 * e.g. `constraints.box` → `constraints.box.lo`); step limits go beside steps. Others stay form-wide.
 */
export function fieldOfProblem(p: ApiProblem): string | undefined {
  if (p.code === 'LIMIT_EXCEEDED') {
    if (p.limit === 'maxCertifySeconds') return 'certify.timeLimitSeconds';
    return p.limit === 'maxStepsPerRun' || p.limit === 'maxStepsTimesRestarts' ? 'steps' : undefined;
  }
  if (p.code !== 'BAD_USER_INPUT' || !p.field) return undefined;
  const field = p.field.replace(/^input\./, '');
  if (FORM_FIELDS.has(field)) return field;
  for (const known of FORM_FIELDS) if (known.startsWith(`${field}.`)) return known;
  return undefined;
}
