import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import {
  type ConstraintSpec,
  certifyGraph,
  extractLayerGraph,
  importModel,
  runOptimization,
} from '@argmax/core';
import { type BenchRow, type BenchSuite, benchRow } from './benchRow.ts';
import { cpuClock } from './cpuClock.ts';
import { fashionTestImages } from './testImages.ts';

const cnn = fileURLToPath(
  new URL(
    '../../packages/core/fixtures/models/keras3-fashion-mnist-cnn/fashion_mnist.keras',
    import.meta.url,
  ),
);

/**
 * Certificates on the Keras Fashion-MNIST CNN (Conv2D 32 → MaxPool → Conv2D 64 → MaxPool → Dense 128 →
 * Dense 10): the true class's logit over (a) L∞ balls of ε = 0.02 round the first test image of each
 * class (60 s each; issue 17's goal: proven for ≥ 8 of 10) and (b) the whole box [0, 1] (one class).
 * Per problem: the gradient best (projected Adam, defaults, the incumbent), the certified upper bound,
 * the gap, whether proven, seconds; IBP's bound is the baseline of the same run. The load average goes
 * with every row (the machine is shared).
 */
export const cnnCertifySuite: BenchSuite = {
  name: 'cnn-certify',
  async run({ quick, log }) {
    const limit = quick ? 10 : 60;
    const { model } = await importModel(cnn);
    const extraction = extractLayerGraph(model);
    if ('unsupported' in extraction) throw new Error(extraction.unsupported);
    const { graph } = extraction;
    const { firstOfClass, imageOf } = await fashionTestImages();
    const problems: { name: string; classIndex: number; constraints: ConstraintSpec }[] = [];
    for (const k of quick ? [0] : [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]) {
      const image = firstOfClass(k);
      problems.push({
        name: `linf 0.02 test image ${image} class ${k}`,
        classIndex: k,
        constraints: { box: { lo: 0, hi: 1 }, linf: { reference: imageOf(image), epsilon: 0.02 } },
      });
    }
    problems.push({ name: 'box class 7', classIndex: 7, constraints: { box: { lo: 0, hi: 1 } } });

    const rows: BenchRow[] = [];
    let proven = 0;
    let balls = 0;
    for (const problem of problems) {
      const objective = { kind: 'logit' as const, index: problem.classIndex };
      const gradient = await runOptimization(model, { objective, constraints: problem.constraints, seed: 0 });
      const cpuUsed = cpuClock();
      const result = await certifyGraph(graph, {
        objective,
        constraints: problem.constraints,
        incumbent: gradient.input,
        timeLimitSeconds: limit,
      });
      if (!result.supported) throw new Error(result.reason);
      const cpuSeconds = cpuUsed();
      const load = `load ${loadavg()[0]!.toFixed(1)}`;
      const note = `${result.proven ? 'proven' : 'open'} by ${result.method}; IBP ${result.bounds.ibp.toFixed(3)}, α-CROWN ${result.bounds.crown.toFixed(3)}; ${load}`;
      log(
        `${problem.name}: best ${result.bestValue.toFixed(4)}, bound ${result.upperBound.toFixed(4)}, gap ${(100 * result.gap).toFixed(2)} %, ${note}, ${result.seconds.toFixed(1)} s wall, ${cpuSeconds.toFixed(1)} s CPU`,
      );
      const row = (metric: string, value: number, unit: string, baseline?: number) =>
        rows.push(
          benchRow({ suite: 'cnn-certify', case: problem.name, metric, value, unit, baseline, note }),
        );
      row('best value', result.bestValue, 'logit');
      row('upper bound', result.upperBound, 'logit', result.bounds.ibp);
      row('gap', 100 * result.gap, '%');
      row('proven', result.proven ? 1 : 0, '');
      row('seconds', result.seconds, 's');
      row('CPU seconds', cpuSeconds, 's');
      if (problem.constraints.linf) {
        balls++;
        if (result.proven) proven++;
      }
    }
    model.dispose();
    rows.push({
      suite: 'cnn-certify',
      case: 'linf 0.02: all classes',
      metric: 'proven',
      value: proven,
      unit: 'problems',
      note: `of ${balls}; goal ≥ 8 of 10 within ${limit} s each`,
    });
    return rows;
  },
};
