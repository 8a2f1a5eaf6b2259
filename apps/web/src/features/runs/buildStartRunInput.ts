import { CLASS_TARGETS, type FormModel, type RunFormValues, type StartRunInput } from './runForm.ts';
import { breaksRule, brokenCrossFieldRules, type RulePath } from './runInputRules.ts';

export type FieldErrors = Record<string, string>;

/**
 * Builds the `StartRunInput` and checks it with the server's rules (`runInputRules.ts`: the same field and
 * cross-field rules and messages, errors keyed by the server's input paths, so a server BAD_USER_INPUT
 * lands next to the same field). Only the rules that need the model's facts are written here.
 */
export function buildStartRunInput(
  v: RunFormValues,
  model: FormModel | undefined,
): { input: StartRunInput; errors: null } | { input: null; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const read = new Reader(errors);
  if (!model) errors.modelId = 'choose a model';
  const inputSize = model ? model.inputShape.reduce((a, b) => a * b, 1) : 0;

  const index = read.num('target.index', v.targetIndex, { required: true });
  if (model && index !== undefined && CLASS_TARGETS.includes(v.targetKind) && index >= model.outputCount)
    errors['target.index'] =
      `received ${index}; the model has ${model.outputCount} outputs (0..${model.outputCount - 1})`;
  const layer = v.targetLayer.trim();
  if (!CLASS_TARGETS.includes(v.targetKind) && !layer) errors['target.layer'] = 'choose a layer';

  const steps = read.num('steps', v.steps);
  const restarts = read.num('restarts', v.restarts);
  const timeBudgetSeconds = read.num('timeBudgetSeconds', v.timeBudgetSeconds);
  const seed = read.num('seed', v.seed);
  const learningRate = read.num('learningRate', v.learningRate);
  const lo = read.num('constraints.box.lo', v.boxLo, { required: true });
  const hi = read.num('constraints.box.hi', v.boxHi, { required: true });
  if (lo !== undefined && hi !== undefined && lo > hi) errors['constraints.box.lo'] = 'lo must be ≤ hi';

  const ballPath = `constraints.${v.ball}`;
  const epsilon =
    v.ball === 'none' ? undefined : read.num(`constraints.${v.ball}.epsilon`, v.epsilon, { required: true });
  const needsReference = v.ball !== 'none' || v.maskPixels.length > 0;
  const referencePath = v.ball !== 'none' ? `${ballPath}.reference` : 'constraints.fixedMask.reference';
  if (needsReference && !v.reference) errors[referencePath] = 'choose a reference image';
  else if (needsReference && v.reference && model && v.reference.length !== inputSize)
    errors[referencePath] = `has ${v.reference.length} values; the model input has ${inputSize}`;

  const quantizeLevels = read.num('constraints.quantizeLevels', v.quantizeLevels);
  const regularizers = {
    l2: read.num('regularizers.l2', v.regL2),
    tv: read.num('regularizers.tv', v.regTv),
    blur: read.num('regularizers.blur', v.regBlur),
    blurEvery: read.num('regularizers.blurEvery', v.regBlurEvery),
    jitter: read.num('regularizers.jitter', v.regJitter),
  };

  if (v.prior !== 'NONE' && model && inputSize !== 28 * 28)
    errors.prior = `needs a model whose input is one 28×28 image (${inputSize} values)`;

  const diverse = read.num('diverse', v.diverse);
  const trainingIndex =
    v.accentuate === 'TRAINING' ? read.num('accentuate.trainingIndex', v.anchorTrainingIndex) : undefined;
  if (v.accentuate === 'REFERENCE' && v.anchorReference && model && v.anchorReference.length !== inputSize)
    errors['accentuate.reference'] =
      `has ${v.anchorReference.length} values; the model input has ${inputSize}`;

  const certifySeconds = read.num('certify.timeLimitSeconds', v.certifySeconds);
  const dense = read.num('snapshots.dense', v.snapshotDense);
  const perDecade = read.num('snapshots.perDecade', v.snapshotPerDecade);

  const channels = model?.inputShape.length === 3 ? model.inputShape[2]! : 1;
  // A constraint chosen without its reference is still asked for, so the rules see it (the reference's
  // own error keeps the input from being sent).
  const ball = v.ball !== 'none' ? { reference: v.reference ?? [], epsilon: epsilon ?? 0 } : undefined;
  const definedRegularizers = Object.fromEntries(
    Object.entries(regularizers).filter(([, x]) => x !== undefined),
  );
  const input: StartRunInput = {
    target: CLASS_TARGETS.includes(v.targetKind)
      ? { kind: v.targetKind, index: index ?? 0 }
      : { kind: v.targetKind, index: index ?? 0, layer },
    method: v.method,
    ...(steps !== undefined ? { steps } : {}),
    ...(restarts !== undefined ? { restarts } : {}),
    ...(timeBudgetSeconds !== undefined ? { timeBudgetSeconds } : {}),
    ...(seed !== undefined ? { seed } : {}),
    ...(learningRate !== undefined ? { learningRate } : {}),
    ...(v.parameterization ? { parameterization: v.parameterization } : {}),
    constraints: {
      box: { lo: lo ?? 0, hi: hi ?? 1 },
      ...(v.ball === 'linf' && ball ? { linf: ball } : {}),
      ...(v.ball === 'l2' && ball ? { l2: ball } : {}),
      ...(v.maskPixels.length > 0
        ? {
            fixedMask: { indices: pixelsToIndices(v.maskPixels, channels), reference: v.reference ?? [] },
          }
        : {}),
      ...(quantizeLevels !== undefined ? { quantizeLevels } : {}),
    },
    ...(Object.keys(definedRegularizers).length > 0 ? { regularizers: definedRegularizers } : {}),
    // An accentuation has no certificate (the server's default for it): the field is not sent.
    ...(certifySeconds !== undefined && v.accentuate === 'NONE'
      ? { certify: { timeLimitSeconds: certifySeconds } }
      : {}),
    ...(v.prior !== 'NONE' ? { prior: v.prior } : {}),
    ...(v.accentuate !== 'NONE'
      ? {
          accentuate: {
            anchor: v.accentuate,
            ...(v.accentuate === 'REFERENCE' && v.anchorReference ? { reference: v.anchorReference } : {}),
            ...(trainingIndex !== undefined ? { trainingIndex } : {}),
          },
        }
      : {}),
    ...(diverse !== undefined ? { diverse } : {}),
    ...(dense !== undefined || perDecade !== undefined
      ? {
          snapshots: {
            ...(dense !== undefined ? { dense } : {}),
            ...(perDecade !== undefined ? { perDecade } : {}),
          },
        }
      : {}),
  };
  // The server's rules between fields, the first broken beside each field that has no error yet.
  for (const rule of brokenCrossFieldRules(input)) errors[rule.field] ??= rule.message;
  if (Object.keys(errors).length > 0 || !model) return { input: null, errors };
  return { input, errors: null };
}

/** Pixel p of an H×W×C input covers flat indices p·C … p·C + C − 1 (channels last). */
function pixelsToIndices(pixels: readonly number[], channels: number): number[] {
  return [...pixels]
    .sort((a, b) => a - b)
    .flatMap((p) => Array.from({ length: channels }, (_, c) => p * channels + c));
}

/** Parses optional numeric fields, recording the server's message for the first rule broken. */
class Reader {
  constructor(private readonly errors: FieldErrors) {}

  num(path: RulePath, raw: string, options: { required?: boolean } = {}): number | undefined {
    const text = raw.trim();
    if (text === '') {
      if (options.required) this.errors[path] = 'required';
      return undefined;
    }
    const value = Number(text);
    const broken = breaksRule(path, value);
    if (broken === null) return value;
    this.errors[path] = broken;
    return undefined;
  }
}
