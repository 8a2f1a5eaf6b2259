import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import {
  certifyGraph,
  compileExactObjective,
  extractDenseRelu,
  extractLayerGraph,
  loadModel,
  type ObjectiveSpec,
  runOptimization,
} from '@argmax/core';
import { linearDomainFor, randomReluMlp } from '@argmax/core/testing';
import { type BenchRow, type BenchSuite, benchRow } from './benchRow.ts';
import { cpuClock } from './cpuClock.ts';
import { provenOptimum } from './exactReference.ts';

const fixture = fileURLToPath(
  new URL('../../packages/core/fixtures/models/tfjs-fashion-mnist-mlp/model.json', import.meta.url),
);

/**
 * Random ReLU MLPs with 2 and 3 hidden layers, 20–100 inputs, widths 16–64 (issue 19), each with
 * 2 seeds (24 nets). Wide layers get fewer inputs so that HiGHS proves the exact optimum: on 2 cores
 * under load, a 40-48-16 and a 20-64-16 net stayed open after 150 s. The reference is
 * exactReference.ts's MILP with a budget of CPU seconds, not wall seconds, so that the same nets are
 * proven whatever the machine's load, or, tried first, the certifier's branch and bound (`certifyGraph`,
 * α-CROWN bounds and input splits: it proves the 3-hidden-layer nets that HiGHS leaves open). Both are
 * proofs of an upper bound that do not run the polish under test, which only hands them its answer as
 * a start (checked, never trusted); the fraction is taken of the smallest proven bound, so it is never
 * overstated. Where both leave it open, the certifier runs once more with more time. A net whose
 * optimum stays open under all three is counted, not scored.
 */
const shapes = [
  { inputs: 100, hidden: [16, 16] },
  { inputs: 80, hidden: [24, 16] },
  { inputs: 60, hidden: [32, 16] },
  { inputs: 40, hidden: [16, 48] },
  { inputs: 20, hidden: [16, 64] },
  { inputs: 30, hidden: [32, 24] },
  { inputs: 100, hidden: [16, 16, 16] },
  { inputs: 60, hidden: [24, 16, 16] },
  { inputs: 40, hidden: [32, 16, 16] },
  { inputs: 20, hidden: [24, 24, 16] },
  { inputs: 30, hidden: [16, 24, 16] },
  { inputs: 50, hidden: [16, 16, 24] },
];

/**
 * The reference MILP's budget per net in CPU seconds (the wall time grows with the machine's load); it
 * runs only where the certifier leaves the optimum open. 1,200: with 120, 40-16-48 s16 and 60-24-16-16
 * s20 stayed open, and alone on a quiet machine HiGHS proved them in 131 and 567 s of CPU.
 */
const milpCpuSeconds = 1200;
/**
 * The certifier's wall-clock budget per net, tried before the MILP. 120 s: with 60 s, 50-16-16-24 s24
 * (proven in 57 s alone on a quiet machine) stayed open at load 3–5.
 */
const certifySeconds = 120;
/**
 * The certifier once more, with this many wall seconds, where the MILP too leaves a net open (its
 * search starts afresh). 50-16-16-24 s12 stayed open after 120 s and after the MILP's 1,200 s of CPU;
 * alone on a quiet machine the certifier proved it in 472 s (316,321 nodes).
 */
const lastCertifySeconds = 600;

function netCases(quick: boolean) {
  return Array.from({ length: quick ? 2 : 2 * shapes.length }, (_, i) => {
    const seed = i + 1;
    const shape = shapes[i % shapes.length]!;
    const classes = 4 + (seed % 7);
    return { seed, ...shape, classes, index: seed % classes };
  });
}

export const polishSuite: BenchSuite = {
  name: 'polish',
  async run({ quick, log }) {
    const rows: BenchRow[] = [];
    const row = (c: string, metric: string, value: number, unit: string, baseline?: number, note?: string) =>
      rows.push(benchRow({ suite: 'polish', case: c, metric, value, unit, baseline, note }));

    const fractions = { adam: [] as number[], polished: [] as number[] };
    let open = 0;
    for (const net of netCases(quick)) {
      const model = randomReluMlp({
        inputs: net.inputs,
        hidden: net.hidden,
        classes: net.classes,
        seed: net.seed,
      });
      const objective: ObjectiveSpec = { kind: 'logit', index: net.index };
      const c = `mlp ${[net.inputs, ...net.hidden, net.classes].join('-')} seed ${net.seed} logit:${net.index}`;
      const adam = await runOptimization(model, { objective, seed: net.seed, polish: false });
      const polished = await runOptimization(model, { objective, seed: net.seed });
      const graph = extractLayerGraph(model);
      const extraction = extractDenseRelu(model);
      model.dispose();
      if (!('network' in extraction)) throw new Error(extraction.unsupported);
      if ('unsupported' in graph) throw new Error(graph.unsupported);
      const compiled = compileExactObjective(extraction.network, objective);
      const domain = linearDomainFor({}, net.inputs);
      if ('unsupported' in compiled) throw new Error(compiled.unsupported);
      // The best of the two answers under test only starts the proofs; they check it, never trust it.
      const start = adam.value > polished.value ? adam.input : polished.input;
      const certifyWithin = (timeLimitSeconds: number) =>
        certifyGraph(graph.graph, { objective, incumbent: Float32Array.from(start), timeLimitSeconds });
      const certifyCpuUsed = cpuClock();
      const certified = await certifyWithin(quick ? 10 : certifySeconds);
      const certifyCpu = certifyCpuUsed();
      if (!certified.supported) throw new Error(certified.reason);
      // The bound in exact arithmetic: the float32 allowance is about the model's float32 outputs.
      const certifiedBound = certified.upperBound - certified.roundoff;
      const milp = certified.proven
        ? undefined
        : await provenOptimum(extraction.network, compiled, domain, start, {
            cpuSeconds: quick ? 20 : milpCpuSeconds,
          });
      const lastCpuUsed = cpuClock();
      const last =
        certified.proven || milp?.status === 'optimal'
          ? undefined
          : await certifyWithin(quick ? 10 : lastCertifySeconds);
      const lastCpu = lastCpuUsed();
      if (last && !last.supported) throw new Error(last.reason);
      const proof = certified.proven
        ? 'certifier'
        : milp?.status === 'optimal'
          ? 'MILP'
          : last?.proven
            ? `certifier, ${lastCertifySeconds} s`
            : undefined;
      const bound = Math.min(
        certifiedBound,
        milp?.bound ?? Number.POSITIVE_INFINITY,
        last ? last.upperBound - last.roundoff : Number.POSITIVE_INFINITY,
      );
      const proofSeconds = certified.seconds + (milp?.seconds ?? 0) + (last?.seconds ?? 0);
      const certifierRun = (r: typeof certified, cpu: number) =>
        `certifier ${r.seconds.toFixed(1)} s (${cpu.toFixed(1)} s CPU, ${r.nodes ?? 0} nodes, ${r.proven ? 'proven' : `gap ${(100 * r.gap).toFixed(2)} %`})`;
      const how = `${certifierRun(certified, certifyCpu)}${milp ? `, MILP ${milp.status} ${milp.seconds.toFixed(1)} s (${milp.cpuSeconds.toFixed(1)} s CPU)` : ''}${last ? `, then ${certifierRun(last, lastCpu)}` : ''}`;
      if (!proof) {
        open++;
        log(
          `${c}: open (${how}; bound ${bound.toFixed(5)}, default ${polished.value.toFixed(5)}, load ${loadavg()[0]!.toFixed(1)})`,
        );
        row(c, 'proof seconds (optimum not proven)', proofSeconds, 's');
        continue;
      }
      // 1 − (optimum − value) / |optimum|: the fraction of the optimum, also for negative optima, of the
      // smallest proven upper bound, so never overstated.
      const fraction = (value: number) => 1 - (bound - value) / Math.abs(bound);
      fractions.adam.push(fraction(adam.value));
      fractions.polished.push(fraction(polished.value));
      log(
        `${c}: optimum ≤ ${bound.toFixed(5)} (proof: ${proof}; ${how}), adam ${fraction(adam.value).toFixed(5)}, default ${fraction(polished.value).toFixed(5)} in ${polished.seconds.toFixed(2)} s, load ${loadavg()[0]!.toFixed(1)}`,
      );
      row(c, 'proven optimum (upper bound)', bound, 'logit', undefined, `proof: ${proof}`);
      row(c, 'proof seconds', proofSeconds, 's');
      row(c, 'proof CPU seconds', certifyCpu + (milp?.cpuSeconds ?? 0) + (last ? lastCpu : 0), 's');
      row(c, 'default fraction of optimum', fraction(polished.value), '', fraction(adam.value));
      row(c, 'default seconds', polished.seconds, 's', adam.seconds);
    }
    if (fractions.adam.length > 0) {
      const c = `random 2- and 3-hidden-layer MLPs (${fractions.adam.length} of ${fractions.adam.length + open} optima proven)`;
      const note = 'baseline: adam alone (no polish)';
      row(
        c,
        'smallest fraction of optimum',
        Math.min(...fractions.polished),
        '',
        Math.min(...fractions.adam),
        note,
      );
      const within = (v: number[]) => v.filter((f) => f >= 0.999).length;
      row(c, 'nets ≥ 0.999 of optimum', within(fractions.polished), 'nets', within(fractions.adam), note);
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
