import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backend/initBackend.ts';
import { describeModel } from './describeModel.ts';
import { buildSeedMlp } from './seedMlp.ts';
import { buildSmallCnn } from './smallCnn.ts';

beforeAll(() => initBackend(undefined, () => {}));

describe('describeModel', () => {
  it('describes the seed MLP like the Keras tutorial summary', () => {
    const d = describeModel(buildSeedMlp());
    expect(d.inputShape).toEqual([28, 28, 1]);
    expect(d.outputCount).toBe(10);
    // Keras's summary of the tutorial model: 100,480 + 1,290 = 101,770 parameters.
    expect(d.parameterCount).toBe(784 * 128 + 128 + 128 * 10 + 10);
    expect(d.trainableParameterCount).toBe(d.parameterCount);
    expect(d.layers.map((l) => [l.name, l.className, l.outputShape, l.parameters, l.activation])).toEqual([
      ['flatten', 'Flatten', [784], 0, undefined],
      ['dense', 'Dense', [128], 100_480, 'relu'],
      ['dense_1', 'Dense', [10], 1290, 'softmax'],
    ]);
  });

  it('describes the small CNN with per-layer shapes that add up', () => {
    const d = describeModel(buildSmallCnn());
    expect(d.inputShape).toEqual([28, 28, 1]);
    expect(d.outputCount).toBe(10);
    expect(d.layers.map((l) => l.outputShape)).toEqual([
      [26, 26, 8],
      [13, 13, 8],
      [11, 11, 16],
      [5, 5, 16],
      [400],
      [64],
      [10],
    ]);
    expect(d.parameterCount).toBe(d.layers.reduce((n, l) => n + l.parameters, 0));
    expect(d.layers[2]!.parameters).toBe(3 * 3 * 8 * 16 + 16);
  });
});
