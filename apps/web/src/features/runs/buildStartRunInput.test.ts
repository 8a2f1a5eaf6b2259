import { describe, expect, it } from 'vitest';
import { buildStartRunInput } from './buildStartRunInput.ts';
import { fieldOfProblem } from './fieldOfProblem.ts';
import { defaultRunForm, type RunFormValues } from './runForm.ts';
import { crossFieldRules } from './runInputRules.ts';

const model = { id: 'm1', inputShape: [28, 28, 1], outputCount: 10 };
const form = (patch: Partial<RunFormValues>): RunFormValues => ({ ...defaultRunForm('m1'), ...patch });

describe('buildStartRunInput', () => {
  it('builds the input the server expects from a valid form', () => {
    const result = buildStartRunInput(
      form({ targetKind: 'PROB', targetIndex: '7', steps: '50', restarts: '16', regTv: '0.01' }),
      model,
    );
    expect(result.errors).toBeNull();
    expect(result.input).toMatchObject({
      target: { kind: 'PROB', index: 7 },
      method: 'PROJECTED_ADAM',
      steps: 50,
      restarts: 16,
      seed: 1,
      constraints: { box: { lo: 0, hi: 1 } },
      regularizers: { tv: 0.01 },
    });
  });

  it('names each wrong field by the server’s input path, with the server’s wording', () => {
    const result = buildStartRunInput(
      form({
        targetIndex: '10',
        steps: '0',
        restarts: '2000',
        boxLo: '2',
        learningRate: '-1',
        regJitter: '9',
        seed: '1.5',
      }),
      model,
    );
    expect(result.errors).toEqual({
      'target.index': 'received 10; the model has 10 outputs (0..9)',
      steps: 'must be ≥ 1',
      restarts: 'must be ≤ 1024',
      'constraints.box.lo': 'lo must be ≤ hi',
      learningRate: 'must be > 0',
      'regularizers.jitter': 'must be ≤ 8',
      seed: 'must be a whole number',
    });
  });

  it('leaves steps and restarts to the server’s time budget by default, and sends a budget typed in', () => {
    const defaults = buildStartRunInput(form({}), model).input!;
    expect([defaults.steps, defaults.restarts, defaults.timeBudgetSeconds]).toEqual([
      undefined,
      undefined,
      undefined,
    ]);
    expect(buildStartRunInput(form({ timeBudgetSeconds: '0.5' }), model).input).toMatchObject({
      timeBudgetSeconds: 0.5,
    });
    expect(buildStartRunInput(form({ timeBudgetSeconds: '0' }), model).errors).toEqual({
      timeBudgetSeconds: 'must be ≥ 0.01',
    });
    expect(fieldOfProblem({ code: 'BAD_USER_INPUT', field: 'timeBudgetSeconds', message: 'not both' })).toBe(
      'timeBudgetSeconds',
    );
  });

  it('requires a reference image of the model’s input size for a ball', () => {
    expect(buildStartRunInput(form({ ball: 'linf' }), model).errors).toEqual({
      'constraints.linf.reference': 'choose a reference image',
    });
    expect(buildStartRunInput(form({ ball: 'l2', reference: [0.5, 0.5] }), model).errors).toEqual({
      'constraints.l2.reference': 'has 2 values; the model input has 784',
    });
    const reference = new Array<number>(784).fill(0.25);
    const ok = buildStartRunInput(form({ ball: 'l2', epsilon: '1.5', reference }), model);
    expect(ok.input?.constraints?.l2).toEqual({ reference, epsilon: 1.5 });
    expect(ok.input?.constraints?.linf).toBeUndefined();
  });

  it('turns painted pixels into flat indices for every channel', () => {
    const rgb = { id: 'm2', inputShape: [2, 2, 3], outputCount: 3 };
    const reference = new Array<number>(12).fill(0);
    const result = buildStartRunInput(form({ maskPixels: [3, 1], reference }), rgb);
    expect(result.input?.constraints?.fixedMask?.indices).toEqual([3, 4, 5, 9, 10, 11]);
  });

  it('requires a layer for unit and channel targets', () => {
    expect(buildStartRunInput(form({ targetKind: 'UNIT', targetIndex: '3' }), model).errors).toEqual({
      'target.layer': 'choose a layer',
    });
    const unit = buildStartRunInput(
      form({ targetKind: 'UNIT', targetIndex: '3', targetLayer: 'dense_1' }),
      model,
    );
    expect(unit.input?.target).toEqual({ kind: 'UNIT', index: 3, layer: 'dense_1' });
  });

  it('sends the certificate time limit and snapshot policy, checked like the server does', () => {
    const ok = buildStartRunInput(
      form({ certifySeconds: '2.5', snapshotDense: '5', snapshotPerDecade: '3' }),
      model,
    );
    expect(ok.input).toMatchObject({
      certify: { timeLimitSeconds: 2.5 },
      snapshots: { dense: 5, perDecade: 3 },
    });
    // Empty: the server's defaults.
    const defaults = buildStartRunInput(
      form({ certifySeconds: '', snapshotDense: '', snapshotPerDecade: '' }),
      model,
    );
    expect(defaults.input?.certify).toBeUndefined();
    expect(defaults.input?.snapshots).toBeUndefined();
    expect(
      buildStartRunInput(
        form({ certifySeconds: '-1', snapshotDense: '1001', snapshotPerDecade: '2.5' }),
        model,
      ).errors,
    ).toEqual({
      'certify.timeLimitSeconds': 'must be ≥ 0',
      'snapshots.dense': 'must be ≤ 1000',
      'snapshots.perDecade': 'must be a whole number',
    });
  });

  it('puts a server-side certificate limit beside its field', () => {
    expect(
      fieldOfProblem({ code: 'LIMIT_EXCEEDED', limit: 'maxCertifySeconds', message: 'at most 300' }),
    ).toBe('certify.timeLimitSeconds');
    expect(
      fieldOfProblem({ code: 'BAD_USER_INPUT', field: 'snapshots.perDecade', message: 'must be ≤ 100' }),
    ).toBe('snapshots.perDecade');
  });

  it('asks for a prior only when chosen, and never together with the constraints it replaces', () => {
    expect(buildStartRunInput(form({}), model).input).not.toHaveProperty('prior');
    const chosen = buildStartRunInput(form({ prior: 'FASHION_MNIST' }), model);
    expect(chosen.errors).toBeNull();
    expect(chosen.input?.prior).toBe('FASHION_MNIST');
    const withLevels = buildStartRunInput(form({ prior: 'MNIST', quantizeLevels: '4' }), model);
    expect(withLevels.errors?.prior).toMatch(/replaces the other input constraints/);
    const wrongModel = buildStartRunInput(form({ prior: 'MNIST' }), { ...model, inputShape: [4, 4, 1] });
    expect(wrongModel.errors?.prior).toMatch(/28×28/);
    expect(fieldOfProblem({ code: 'BAD_USER_INPUT', field: 'prior', message: 'x' })).toBe('prior');
  });

  it('asks for an accentuation or prototypes only with a prior and a class target, never both, and no certificate with an accentuation', () => {
    const prior = { prior: 'FASHION_MNIST' as const };
    const typical = buildStartRunInput(form({ ...prior, accentuate: 'TYPICAL' }), model);
    expect(typical.errors).toBeNull();
    expect(typical.input?.accentuate).toEqual({ anchor: 'TYPICAL' });
    expect(typical.input).not.toHaveProperty('certify');
    const reference = Array.from({ length: 784 }, (_, i) => (i % 7) / 7);
    const given = buildStartRunInput(
      form({ ...prior, accentuate: 'REFERENCE', anchorReference: reference }),
      model,
    );
    expect(given.input?.accentuate).toEqual({ anchor: 'REFERENCE', reference });
    expect(
      buildStartRunInput(form({ ...prior, accentuate: 'TRAINING', anchorTrainingIndex: '12' }), model).input
        ?.accentuate,
    ).toEqual({ anchor: 'TRAINING', trainingIndex: 12 });
    expect(
      buildStartRunInput(form({ ...prior, accentuate: 'TRAINING', anchorTrainingIndex: '-1' }), model).errors,
    ).toEqual({ 'accentuate.trainingIndex': 'must be ≥ 0' });
    expect(buildStartRunInput(form({ ...prior, accentuate: 'REFERENCE' }), model).errors).toEqual({
      'accentuate.reference': crossFieldRules.referenceForReferenceAnchor!.message,
    });
    expect(buildStartRunInput(form({ accentuate: 'TYPICAL' }), model).errors?.accentuate).toMatch(/prior/);
    const diverse = buildStartRunInput(form({ ...prior, diverse: '3' }), model);
    expect(diverse.input).toMatchObject({ diverse: 3, certify: { timeLimitSeconds: 10 } });
    // The server's rule for the field, with its words.
    expect(buildStartRunInput(form({ ...prior, diverse: '9' }), model).errors?.diverse).toBe('must be ≤ 8');
    expect(
      buildStartRunInput(form({ ...prior, diverse: '3', targetKind: 'UNIT', targetLayer: 'd' }), model).errors
        ?.diverse,
    ).toMatch(/class target/);
    expect(
      buildStartRunInput(form({ ...prior, diverse: '3', accentuate: 'TYPICAL' }), model).errors?.diverse,
    ).toMatch(/one anchor/);
    expect(fieldOfProblem({ code: 'BAD_USER_INPUT', field: 'accentuate.reference', message: 'x' })).toBe(
      'accentuate.reference',
    );
  });

  it('flags every combination the server’s printed cross-field rules refuse, beside the server’s field', () => {
    const prior = { prior: 'MNIST' as const };
    const pixels = Array.from({ length: 784 }, (_, i) => (i % 3) / 3);
    // One form per rule that breaks it (the server's test sends the same combinations); null where the
    // form cannot build the combination at all (checked below).
    const breaking: Record<string, Partial<RunFormValues> | null> = {
      budgetOnlyProjectedAdam: { method: 'NORMALIZED_GRADIENT_ASCENT', timeBudgetSeconds: '2' },
      budgetOrCounts: { timeBudgetSeconds: '2', restarts: '4' },
      priorReplacesConstraints: { ...prior, quantizeLevels: '4' },
      accentuateNeedsPrior: { accentuate: 'TYPICAL' },
      accentuateNeedsClassTarget: { ...prior, accentuate: 'TYPICAL', targetKind: 'UNIT', targetLayer: 'd' },
      diverseNeedsPrior: { diverse: '3' },
      diverseNeedsClassTarget: { ...prior, diverse: '3', targetKind: 'CHANNEL', targetLayer: 'c' },
      diverseWithoutAccentuation: { ...prior, accentuate: 'TYPICAL', diverse: '3' },
      referenceForReferenceAnchor: { ...prior, accentuate: 'REFERENCE' },
      referenceOnlyForReferenceAnchor: null,
      indexForTrainingAnchor: { ...prior, accentuate: 'TRAINING' },
      indexOnlyForTrainingAnchor: null,
    };
    expect(Object.keys(breaking).sort()).toEqual(Object.keys(crossFieldRules).sort());
    for (const [name, rule] of Object.entries(crossFieldRules)) {
      const patch = breaking[name];
      if (!patch) continue;
      const { errors } = buildStartRunInput(form(patch), model);
      expect({ name, errors }).toEqual({ name, errors: { [rule.field]: rule.message } });
    }
    // An anchor's image or row is sent only with the anchor that takes it.
    const typical = buildStartRunInput(
      form({ ...prior, accentuate: 'TYPICAL', anchorReference: pixels, anchorTrainingIndex: '3' }),
      model,
    );
    expect(typical.input?.accentuate).toEqual({ anchor: 'TYPICAL' });
  });
});
