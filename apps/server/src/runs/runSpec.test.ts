import { readFileSync } from 'node:fs';
import { defaultTimeBudget } from '@argmax/core';
import type { ModelSummary } from '@argmax/db';
import { describe, expect, it } from 'vitest';
import { configFromEnv } from '../config.ts';
import { runInputRulesFile } from '../schema/printSchema.ts';
import { toRunSpec } from './runInput.ts';
import { readRunSpec } from './runSpec.ts';

const model: ModelSummary = {
  id: 'm',
  teamId: null,
  name: 'mlp',
  origin: 'uploaded',
  inputShape: [2, 2, 1],
  outputCount: 3,
  classNames: null,
  layerSummary: null,
  parameterCount: 0,
  createdBy: null,
  createdAt: new Date(0),
  weightsBytes: 0,
};
const config = configFromEnv({});
const reference = [0.1, 0.2, 0.3, 0.4];

/** The one path: a request is validated into a spec, stored as JSON, and read back through the same schema. */
const throughStorage = (input: unknown) => {
  const spec = toRunSpec(input, model, config);
  return { spec, read: readRunSpec({ id: 'r', spec: JSON.parse(JSON.stringify(spec)) }) };
};

describe('run spec', () => {
  it('a request with every part reads back from storage as it was written', () => {
    const { spec, read } = throughStorage({
      target: { kind: 'CHANNEL', index: 1, layer: 'conv' },
      method: 'NORMALIZED_GRADIENT_ASCENT',
      steps: 10,
      restarts: 2,
      seed: 7,
      learningRate: 0.5,
      parameterization: 'PIXEL',
      constraints: {
        box: { lo: -1, hi: 1 },
        linf: { reference, epsilon: 0.1 },
        l2: { reference, epsilon: 0.2 },
        fixedMask: { indices: [0, 3], reference },
        linear: [
          { mean: true, sense: 'LE', bound: 0.5 },
          { weights: [1, 0, 0, 1], sense: 'GE', bound: 0 },
        ],
        quantizeLevels: 256,
      },
      regularizers: { l2: 0.01, tv: null, jitter: 2 },
      certify: { timeLimitSeconds: 0 },
      snapshots: { dense: 5, perDecade: 3 },
    });
    expect(read).toEqual(spec);
    expect(read).toEqual({
      inputShape: [2, 2, 1],
      imageRange: [-1, 1],
      certify: { timeLimitSeconds: 0 },
      snapshots: { dense: 5, perDecade: 3 },
      options: {
        objective: { kind: 'channel', layer: 'conv', channel: 1 },
        method: 'normalized-gradient-ascent',
        steps: 10,
        restarts: 2,
        seed: 7,
        learningRate: 0.5,
        parameterization: 'pixel',
        constraints: {
          box: { lo: -1, hi: 1 },
          linf: { reference, epsilon: 0.1 },
          l2: { reference, epsilon: 0.2 },
          mask: { fixed: [1, 0, 0, 1], reference },
          linear: [
            { weights: 'mean', sense: '<=', bound: 0.5 },
            { weights: [1, 0, 0, 1], sense: '>=', bound: 0 },
          ],
          quantize: { levels: 256 },
        },
        regularizers: { l2: 0.01, jitter: 2 },
      },
    });
  });

  it('fills the defaults: a time budget, method, box, certificate and snapshot policy', () => {
    const { read } = throughStorage({ target: { kind: 'LOGIT', index: 2 } });
    expect(read).toEqual({
      inputShape: [2, 2, 1],
      imageRange: [0, 1],
      certify: { timeLimitSeconds: config.defaultCertifySeconds },
      snapshots: { dense: 50, perDecade: 20 },
      options: {
        objective: { kind: 'logit', index: 2 },
        method: 'projected-adam',
        timeBudget: defaultTimeBudget,
        constraints: { box: { lo: 0, hi: 1 } },
      },
    });
  });

  it('keeps counts that were asked for, filling in the other, and budgets only projected-adam', () => {
    const options = (input: object) =>
      throughStorage({ target: { kind: 'LOGIT', index: 2 }, ...input }).read.options;
    expect(options({ timeBudgetSeconds: 0.5 })).toMatchObject({ timeBudget: 0.5 });
    expect(options({ timeBudgetSeconds: 0.5 }).steps).toBeUndefined();
    expect(options({ steps: 30 })).toMatchObject({ steps: 30, restarts: 16 });
    expect(options({ restarts: 4 })).toMatchObject({ steps: 200, restarts: 4 });
    expect(options({ steps: 30 }).timeBudget).toBeUndefined();
    expect(options({ method: 'NORMALIZED_GRADIENT_ASCENT' })).toMatchObject({ steps: 200, restarts: 16 });
    expect(options({ method: 'NORMALIZED_GRADIENT_ASCENT' }).timeBudget).toBeUndefined();
  });

  it('names the field and the rule a request breaks', () => {
    const problem = (input: unknown) => {
      try {
        toRunSpec(input, model, config);
        return null;
      } catch (error) {
        const { extensions, message } = error as { extensions: Record<string, unknown>; message: string };
        return { field: extensions.field, message };
      }
    };
    expect(problem({ target: { kind: 'LOGIT', index: 0 }, restarts: 2000 })).toMatchObject({
      field: 'restarts',
      message: expect.stringContaining('must be ≤ 1024'),
    });
    expect(problem({ target: { kind: 'LOGIT', index: 0 }, regularizers: { tv: -1 } })).toMatchObject({
      field: 'regularizers.tv',
      message: expect.stringContaining('must be ≥ 0'),
    });
    expect(problem({ target: { kind: 'LOGIT', index: 0 }, timeBudgetSeconds: 0 })).toMatchObject({
      field: 'timeBudgetSeconds',
      message: expect.stringContaining('must be ≥ 0.01'),
    });
    expect(problem({ target: { kind: 'LOGIT', index: 0 }, timeBudgetSeconds: 2, steps: 10 })).toMatchObject({
      field: 'timeBudgetSeconds',
      message: expect.stringContaining('not both'),
    });
    expect(
      problem({ target: { kind: 'LOGIT', index: 0 }, timeBudgetSeconds: 2, method: 'TRAINABLE_INPUT_LAYER' }),
    ).toMatchObject({ field: 'timeBudgetSeconds', message: expect.stringContaining('PROJECTED_ADAM only') });
    expect(problem({ target: { kind: 'LOGIT', index: 3 } })).toMatchObject({ field: 'target.index' });
    expect(problem({ target: { kind: 'UNIT', index: 0 } })).toMatchObject({ field: 'target.layer' });
  });

  it('keeps an accentuation (with no certificate by default) and diverse prototypes through storage', () => {
    const image = { ...model, inputShape: [28, 28, 1], outputCount: 10 };
    const pixels = Array.from({ length: 784 }, (_, i) => (i % 5) / 5);
    const read = (input: unknown) => {
      const spec = toRunSpec(input, image, config);
      expect(readRunSpec({ id: 'r', spec: JSON.parse(JSON.stringify(spec)) })).toEqual(spec);
      return spec;
    };
    const target = { kind: 'LOGIT', index: 4 };
    const prior = 'FASHION_MNIST';
    const typical = read({ target, prior, accentuate: { anchor: 'TYPICAL' } });
    expect(typical).toMatchObject({
      prior: 'fashion-mnist',
      accentuate: {},
      certify: { timeLimitSeconds: 0 },
    });
    expect(
      read({ target, prior, accentuate: { anchor: 'REFERENCE', reference: pixels } }).accentuate,
    ).toEqual({
      reference: pixels,
    });
    expect(read({ target, prior, accentuate: { anchor: 'TRAINING', trainingIndex: 7 } }).accentuate).toEqual({
      trainingIndex: 7,
    });
    const diverse = read({ target, prior, diverse: 4 });
    expect(diverse).toMatchObject({
      diverse: 4,
      certify: { timeLimitSeconds: config.defaultCertifySeconds },
    });
    expect(diverse).not.toHaveProperty('accentuate');
    expect(read({ target, prior })).not.toHaveProperty('diverse');
  });

  it('refuses every combination the printed cross-field rules describe, with their field and words', () => {
    const image = { ...model, inputShape: [28, 28, 1], outputCount: 10 };
    const pixels = Array.from({ length: 784 }, (_, i) => (i % 5) / 5);
    const target = { kind: 'LOGIT', index: 4 };
    const prior = 'MNIST';
    // One request per rule that breaks it and nothing else (the dashboard's test has the form's twin).
    const breaking: Record<string, object> = {
      budgetOnlyProjectedAdam: { target, method: 'NORMALIZED_GRADIENT_ASCENT', timeBudgetSeconds: 2 },
      budgetOrCounts: { target, timeBudgetSeconds: 2, restarts: 4 },
      priorReplacesConstraints: { target, prior, constraints: { quantizeLevels: 4 } },
      accentuateNeedsPrior: { target, accentuate: { anchor: 'TYPICAL' } },
      accentuateNeedsClassTarget: {
        target: { kind: 'UNIT', index: 0, layer: 'd' },
        prior,
        accentuate: { anchor: 'TYPICAL' },
      },
      diverseNeedsPrior: { target, diverse: 3 },
      diverseNeedsClassTarget: { target: { kind: 'CHANNEL', index: 0, layer: 'c' }, prior, diverse: 3 },
      diverseWithoutAccentuation: { target, prior, accentuate: { anchor: 'TYPICAL' }, diverse: 3 },
      referenceForReferenceAnchor: { target, prior, accentuate: { anchor: 'REFERENCE' } },
      referenceOnlyForReferenceAnchor: {
        target,
        prior,
        accentuate: { anchor: 'TYPICAL', reference: pixels },
      },
      indexForTrainingAnchor: { target, prior, accentuate: { anchor: 'TRAINING' } },
      indexOnlyForTrainingAnchor: {
        target,
        prior,
        accentuate: { anchor: 'REFERENCE', reference: pixels, trainingIndex: 3 },
      },
    };
    const printed = JSON.parse(readFileSync(runInputRulesFile, 'utf8')) as {
      crossFieldRules: Record<string, { field: string; message: string }>;
    };
    expect(Object.keys(breaking).sort()).toEqual(Object.keys(printed.crossFieldRules).sort());
    for (const [name, rule] of Object.entries(printed.crossFieldRules)) {
      let refused: unknown = null;
      try {
        toRunSpec(breaking[name], image, config);
      } catch (error) {
        refused = error;
      }
      const { extensions, message } = refused as { extensions: Record<string, unknown>; message: string };
      expect({ name, field: extensions.field, message }).toEqual({
        name,
        field: rule.field,
        message: `${rule.field}: ${rule.message}`,
      });
    }
    // The same requests without the part that breaks the rule are accepted.
    expect(() => toRunSpec({ target, timeBudgetSeconds: 2 }, image, config)).not.toThrow();
    expect(() =>
      toRunSpec({ target, prior, accentuate: { anchor: 'TRAINING', trainingIndex: 3 } }, image, config),
    ).not.toThrow();
    expect(() => toRunSpec({ target, prior, diverse: 3 }, image, config)).not.toThrow();
  });

  it('reads a run stored before certificates and snapshot policies were part of the request', () => {
    const stored = {
      inputShape: [28, 28, 1],
      imageRange: [0, 1],
      options: {
        objective: { kind: 'prob', index: 4 },
        method: 'projected-adam',
        steps: 100,
        restarts: 4,
        seed: 1,
        constraints: { box: { lo: 0, hi: 1 } },
      },
    };
    const read = readRunSpec({ id: 'old', spec: stored });
    expect(read.certify).toBeUndefined();
    expect(read.snapshots).toBeUndefined();
    expect(read.options.objective).toEqual({ kind: 'prob', index: 4 });
  });

  it('reads the core’s defaults into a stored spec without method or constraints', () => {
    const read = readRunSpec({
      id: 'minimal',
      spec: {
        options: { objective: { kind: 'logit', index: 3 }, steps: 10, restarts: 4 },
        inputShape: [28, 28, 1],
        imageRange: [0, 1],
      },
    });
    expect(read.options.method).toBe('projected-adam');
    expect(read.options.constraints).toEqual({ box: { lo: 0, hi: 1 } });
  });

  it('refuses a stored spec that is not one, naming the run', () => {
    expect(() => readRunSpec({ id: 'bad', spec: { options: { steps: 1 } } })).toThrow(/run bad/);
  });
});
