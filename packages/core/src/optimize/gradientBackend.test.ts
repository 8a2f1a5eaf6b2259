import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backend/initBackend.ts';
import { runOptimization } from './optimize.ts';

/** A model whose input gradient needs the depthwise backprop kernels (tfjs-backend-wasm 4.22 has none). */
function depthwiseModel(): tfl.LayersModel {
  return tfl.sequential({
    name: 'depthwise',
    layers: [
      tfl.layers.depthwiseConv2d({ inputShape: [12, 12, 2], kernelSize: 3, depthMultiplier: 2 }),
      tfl.layers.flatten(),
      tfl.layers.dense({ units: 4, kernelInitializer: tfl.initializers.glorotUniform({ seed: 2 }) }),
    ],
  });
}

describe('per-model backend fallback for the input gradient', () => {
  beforeAll(() => initBackend(undefined, () => {}));

  it('optimises a model the backend cannot differentiate on cpu, says so once per run, and switches back', async () => {
    const backend = tf.getBackend();
    const lacking = ['DepthwiseConv2dNativeBackpropInput', 'DepthwiseConv2dNativeBackpropFilter'].filter(
      (name) => !tf.getKernel(name, backend),
    );
    const model = depthwiseModel();
    const before = tf.memory().numTensors;
    for (let run = 0; run < 2; run++) {
      const lines: string[] = [];
      const result = await runOptimization(model, {
        objective: { kind: 'logit', index: 1 },
        steps: 5,
        restarts: 3,
        log: (line) => lines.push(line),
      });
      if (lacking.length > 0 && backend !== 'cpu') {
        expect(lines).toEqual([
          `argmax: optimising depthwise on cpu: the ${backend} backend has no ${lacking.join(', ')} kernel for its input gradient`,
        ]);
        expect(result.backend).toBe('cpu');
      } else {
        expect(lines).toEqual([]);
        expect(result.backend).toBe(backend);
      }
      expect(tf.getBackend()).toBe(backend);
      expect(Number.isFinite(result.value)).toBe(true);
      expect(result.violation).toBeLessThanOrEqual(1e-6);
    }
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });

  it('keeps models the backend can differentiate on it', async () => {
    const backend = tf.getBackend();
    const model = tfl.sequential({
      layers: [
        tfl.layers.conv2d({ inputShape: [8, 8, 1], filters: 2, kernelSize: 3 }),
        tfl.layers.flatten(),
        tfl.layers.dense({ units: 3 }),
      ],
    });
    const lines: string[] = [];
    const result = await runOptimization(model, {
      objective: { kind: 'logit', index: 0 },
      steps: 3,
      restarts: 2,
      log: (line) => lines.push(line),
    });
    expect(lines).toEqual([]);
    expect(result.backend).toBe(backend);
    model.dispose();
  });
});
