import { fileURLToPath } from 'node:url';
import { linearDomain } from '@argmax/core/lp/linearDomain';
import { loadModel } from '@argmax/core/models/loadModel';
import { extractDenseRelu } from '@argmax/core/network/denseRelu';
import { runOptimization } from '@argmax/core/optimize/optimize';
import { compilePiecewiseLinear } from '@argmax/core/polish/piecewiseLinearObjective';
import { maximizeExactly } from '@argmax/core/polish/reluMilp';
import type { ObjectiveSpec } from '@argmax/core/spec/types';
import { randomReluMlp } from '@argmax/core/testing/randomReluMlp';
import type { BenchRow, BenchSuite } from './benchRow.ts';

const fixture = fileURLToPath(
  new URL('../../packages/core/fixtures/models/tfjs-fashion-mnist-mlp/model.json', import.meta.url),
);

const nets = [
  { name: 'mlp 16→16→16→10', inputs: 16, hidden: [16, 16] },
  { name: 'mlp 12→12→12→12→10', inputs: 12, hidden: [12, 12, 12] },
];

/**
 * What the exact polish adds to projected Adam (defaults: 150 steps, 64 starts): on small random ReLU
 * MLPs as a fraction of the exact optimum over [0,1]^n (MILP), and on the Fashion-MNIST fixture MLP
 * (784→128→10, too large for the MILP) as the logit gained per class. Baseline: Adam without polish.
 */
export const polishSuite: BenchSuite = {
  name: 'polish',
  async run({ quick, log }) {
    const rows: BenchRow[] = [];
    const row = (c: string, metric: string, value: number, unit: string, baseline?: number, note?: string) =>
      rows.push({
        suite: 'polish',
        case: c,
        metric,
        value,
        unit,
        ...(baseline !== undefined
          ? { baseline, ...(baseline !== 0 ? { ratio: value / baseline } : {}) }
          : {}),
        ...(note ? { note } : {}),
      });

    for (const net of nets) {
      const gaps = { adam: [] as number[], polished: [] as number[] };
      const seeds = quick ? [1, 2] : [1, 2, 3, 4, 5, 6];
      for (const seed of seeds) {
        const model = randomReluMlp({ inputs: net.inputs, hidden: net.hidden, classes: 10, seed });
        const objective: ObjectiveSpec = { kind: 'logit', index: seed % 10 };
        const extraction = extractDenseRelu(model);
        if (!('network' in extraction)) throw new Error(extraction.unsupported);
        const compiled = compilePiecewiseLinear(extraction.network, objective);
        const domain = linearDomain({}, net.inputs);
        if ('unsupported' in compiled || 'unsupported' in domain) throw new Error('not piecewise linear');
        const exact = await maximizeExactly(extraction.network, compiled, domain, { timeLimitSeconds: 300 });
        const adam = await runOptimization(model, { objective, seed, polish: false });
        const polished = await runOptimization(model, { objective, seed });
        model.dispose();
        const c = `${net.name} seed ${seed} logit:${objective.index}`;
        if (exact.status !== 'optimal') {
          log(`${c}: skipped (MILP ${exact.status})`);
          continue;
        }
        // Relative gap (optimum − value) / |optimum|: ≤ 1e-3 means "≥ 0.999 of the optimum", also
        // for the negative optima some classes have.
        const gap = (value: number) => Math.max(0, (exact.value - value) / Math.abs(exact.value));
        gaps.adam.push(gap(adam.value));
        gaps.polished.push(gap(polished.value));
        log(
          `${c}: optimum ${exact.value.toFixed(5)} (MILP ${exact.seconds.toFixed(2)} s), gap adam ${gap(adam.value).toExponential(2)}, adam+polish ${gap(polished.value).toExponential(2)}`,
        );
        row(c, 'exact optimum (MILP)', exact.value, 'logit');
        row(c, 'MILP seconds', exact.seconds, 's');
        if (exact.value > 0) {
          row(
            c,
            'adam+polish fraction of optimum',
            polished.value / exact.value,
            '',
            adam.value / exact.value,
          );
        }
        row(c, 'adam+polish relative gap', gap(polished.value), '', gap(adam.value));
        row(c, 'adam+polish seconds', polished.seconds, 's', adam.seconds);
      }
      if (gaps.adam.length > 0) {
        const c = `${net.name}, ${gaps.adam.length} seeds`;
        const note = 'baseline: adam alone';
        row(c, 'largest relative gap', Math.max(...gaps.polished), '', Math.max(...gaps.adam), note);
        const within = (v: number[]) => v.filter((g) => g <= 1e-3).length;
        row(c, 'seeds ≥ 0.999 of optimum', within(gaps.polished), 'seeds', within(gaps.adam), note);
      }
    }

    const model = await loadModel(fixture);
    const classes = quick ? [0, 3] : [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
    for (const k of classes) {
      const result = await runOptimization(model, { objective: { kind: 'logit', index: k }, seed: 0 });
      const before = result.valueBeforePolish ?? result.value;
      log(
        `fixture mlp logit:${k}: ${before.toFixed(4)} → ${result.value.toFixed(4)} in ${result.seconds.toFixed(2)} s`,
      );
      row(`fashion-mnist fixture mlp logit:${k}`, 'logit after polish', result.value, 'logit', before);
      row(`fashion-mnist fixture mlp logit:${k}`, 'seconds (adam + polish)', result.seconds, 's');
    }
    model.dispose();
    return rows;
  },
};
