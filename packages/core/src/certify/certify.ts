import type * as tfl from '@tensorflow/tfjs-layers';
import { EmptyFeasibleSetError } from '../constraints/emptyFeasibleSet.ts';
import { buildFeasibleSet, feasibleWithin } from '../constraints/feasibleSet.ts';
import { CancelledError, InvalidArgumentError } from '../errors.ts';
import { buildNetworkMilp, type ConcaveCase } from '../lp/networkMilp.ts';
import { padLp } from '../lp/padLp.ts';
import type { SingleLayerForm } from '../lp/singleLayerForm.ts';
import { solveLp } from '../lp/solveLp.ts';
import { intervalBounds, type NodeBounds } from '../network/intervalBounds.ts';
import { extractLayerGraph, forwardLayerGraph, type LayerGraph } from '../network/layerGraph.ts';
import { concaveCases, type ExactObjective, evaluateExactObjective } from '../objectives/exactObjective.ts';
import { initialParameters, optimizeBound } from './boundOptimizer.ts';
import { branchAndBound } from './branchAndBound.ts';
import { compileCertifiedObjective } from './certifiedObjective.ts';
import { hiddenLayerForm } from './hiddenLayerForm.ts';
import { crownIntermediateBounds } from './linearRelaxation.ts';
import { phaseThenSubsetSearch } from './phaseThenSubsetSearch.ts';
import { type CertifyRegion, certifyRegion, toFloat32Inside } from './region.ts';
import { solveRegionLp } from './regionPolish.ts';
import { relativeGap } from './relativeGap.ts';
import { float32Allowance } from './roundoff.ts';
import type { Certificate, CertifyMethod, CertifyOptions, CertifyResult, OpenSummary } from './types.ts';

export { relativeGap } from './relativeGap.ts';

const defaultTimeLimitSeconds = 10;
const defaultTolerance = 1e-4;
const crownIterations = 200;

/**
 * A certificate for "maximise `options.objective` over the constraints" on `model`: the best input
 * known (the incumbent, the relaxations' maximisers, the exact search's solutions), a sound upper
 * bound on every input's value, and whether the two meet. Bounds tighten in stages (IBP, α-CROWN,
 * then branch and bound or a MILP until the time limit), each reported through `onProgress`.
 * Models or objectives it cannot bound give `{ supported: false, reason }`, never a guessed number.
 */
export async function certify(model: tfl.LayersModel, options: CertifyOptions): Promise<CertifyResult> {
  const extraction = extractLayerGraph(model);
  if ('unsupported' in extraction) return { supported: false, reason: `model: ${extraction.unsupported}` };
  return certifyGraph(extraction.graph, options);
}

/**
 * Why `certify` would give no certificate for this model and objective, or undefined when it can:
 * cheap, so callers can check before running an optimisation whose result they want certified.
 */
export function certificateSupport(
  model: tfl.LayersModel,
  objective: CertifyOptions['objective'],
): string | undefined {
  const extraction = extractLayerGraph(model);
  if ('unsupported' in extraction) return `model: ${extraction.unsupported}`;
  const compiled = compileCertifiedObjective(extraction.graph, objective);
  return 'unsupported' in compiled ? `objective: ${compiled.unsupported}` : undefined;
}

/** `certify` on an extracted graph (what a worker holding float64 weights calls). */
export async function certifyGraph(graph: LayerGraph, options: CertifyOptions): Promise<CertifyResult> {
  const started = performance.now();
  const seconds = () => (performance.now() - started) / 1000;
  const timeLimit = options.timeLimitSeconds ?? defaultTimeLimitSeconds;
  if (!(timeLimit > 0))
    throw new InvalidArgumentError('timeLimitSeconds', timeLimit, 'a number of seconds > 0');
  const deadline = started + timeLimit * 1000;
  const tolerance = options.tolerance ?? defaultTolerance;
  if (options.threads !== undefined && !(Number.isInteger(options.threads) && options.threads >= 1))
    throw new InvalidArgumentError('threads', options.threads, 'a whole number ≥ 1');
  const stopRequested = () =>
    options.signal?.aborted === true ||
    (options.cancelFlag !== undefined && Atomics.load(options.cancelFlag, 0) !== 0);

  const bad = graph.ops.find(
    (op) =>
      op.kind === 'affine' && (!op.bias.every(Number.isFinite) || !op.matrix.values.every(Number.isFinite)),
  );
  if (bad) return { supported: false, reason: `model: layer ${bad.layer} has NaN or infinite weights` };
  const objective = compileCertifiedObjective(graph, options.objective);
  if ('unsupported' in objective) return { supported: false, reason: `objective: ${objective.unsupported}` };
  let region: CertifyRegion;
  try {
    region = certifyRegion(
      buildFeasibleSet(options.constraints, { size: graph.inputSize, shape: graph.inputShape }),
    );
  } catch (error) {
    // An empty set has no maximum to bound: a reason, as before any search.
    if (error instanceof EmptyFeasibleSetError) return { supported: false, reason: error.message };
    throw error;
  }

  const best = bestTracker(graph, objective, region);
  if (options.incumbent) {
    if (options.incumbent.length !== graph.inputSize) {
      throw new InvalidArgumentError(
        'incumbent',
        options.incumbent,
        `${graph.inputSize} values (the model's input size)`,
      );
    }
    best.consider(options.incumbent);
  }
  best.consider(Float64Array.from(region.lo, (l, i) => (l + region.hi[i]!) / 2));

  const bounds = intervalBounds(graph, region.lo, region.hi);
  const cases = concaveCases(graph, objective);
  const ibp = Math.max(...cases.map((c) => intervalObjectiveBound(c, bounds, graph.ops.length)));
  let roundoff = float32Allowance(graph, bounds, objective);
  const pad = (bound: number) => bound + roundoff + 1e-9 * (1 + Math.abs(bound));
  let exactBound = ibp;
  let method: CertifyMethod = 'ibp';
  let last = { bound: Number.POSITIVE_INFINITY, value: Number.NEGATIVE_INFINITY };
  const report = (nodes?: number) => {
    const upperBound = pad(Math.max(exactBound, best.value));
    last = { bound: upperBound, value: best.value };
    options.onProgress?.({
      method,
      upperBound,
      bestValue: best.value,
      gap: relativeGap(upperBound, best.value),
      seconds: seconds(),
      ...(nodes !== undefined ? { nodes } : {}),
    });
  };
  report();
  const checkCancelled = () => {
    if (stopRequested()) throw new CancelledError('certify was cancelled');
  };
  checkCancelled();

  crownIntermediateBounds(graph, bounds, deadline);
  roundoff = float32Allowance(graph, bounds, objective);
  let crown = Number.NEGATIVE_INFINITY;
  for (const c of cases) {
    const problem = { graph, bounds, region, objective: c };
    const result = optimizeBound(problem, initialParameters(problem), {
      iterations: crownIterations,
      deadline,
    });
    best.consider(result.x);
    crown = Math.max(crown, result.bound);
  }
  if (crown < exactBound) {
    exactBound = crown;
    method = 'crown';
  }
  report();
  checkCancelled();

  const closed = () => exactBound - best.value <= tolerance * Math.max(1, Math.abs(exactBound));
  // A CNN whose LP is too large to solve in the time gets the bounds only (the exact searches and the
  // region polish all solve LPs over the whole network).
  const search = tooLargeForLp(graph) ? 'bounds' : (options.search ?? 'auto');
  let searchBound: number | undefined;
  let nodes: number | undefined;
  let open: OpenSummary | undefined;
  const polish = async () => {
    for (const c of cases) {
      if (performance.now() > deadline) return;
      // No feasible input yet (linear constraints cut off every vertex tried): the LP relaxation's is.
      if (!Number.isFinite(best.value)) {
        const x = await solveRegionLp(graph, bounds, c, region, undefined, deadline, stopRequested);
        if (x) best.consider(x);
      }
      const x = await solveRegionLp(graph, bounds, c, region, best.input, deadline, stopRequested);
      if (x) best.consider(x);
    }
  };
  if (search !== 'bounds' && !closed()) {
    const before = best.value;
    await polish();
    if (best.value > before) report();
  }
  if (!closed() && search !== 'bounds' && performance.now() < deadline) {
    // Branch and bound splits ReLUs only: with max pooling, 'auto' lets HiGHS branch on the pool choices too.
    const pooled = graph.ops.some((op) => op.kind === 'maxPool');
    const searchMethod: CertifyMethod = search === 'milp' || (search === 'auto' && pooled) ? 'milp' : 'bab';
    const subsetForms =
      searchMethod === 'bab' ? hiddenLayerForms(graph, cases, region, crown, best.value) : undefined;
    const onBound = (b: number, _incumbent: number, n: number) => {
      if (cases.length === 1 && b < exactBound) {
        exactBound = b;
        method = 'bab';
      }
      if (pad(Math.max(exactBound, best.value)) < last.bound || best.value > last.value) report(n);
    };
    const searchOptions = (caseEnd: number) => ({
      incumbent: best.value,
      consider: (x: Float64Array) => best.consider(x),
      deadline: caseEnd,
      tolerance,
      shouldStop: stopRequested,
      onBound,
    });
    let bound = Number.NEGATIVE_INFINITY;
    const caseDeadline = (k: number) =>
      performance.now() + (deadline - performance.now()) / (cases.length - k);
    for (const [k, c] of cases.entries()) {
      const result: { bound: number; nodes?: number; open?: OpenSummary } =
        searchMethod === 'milp'
          ? await milpSearch(
              graph,
              bounds,
              c,
              region,
              best,
              caseDeadline(k),
              tolerance,
              stopRequested,
              (b) => {
                if (cases.length === 1 && b < exactBound) {
                  exactBound = b;
                  method = 'milp';
                  report();
                }
              },
            )
          : subsetForms
            ? await phaseThenSubsetSearch({
                graph,
                region,
                objective: c,
                rootBounds: bounds,
                form: subsetForms[k]!,
                ...(options.threads !== undefined ? { threads: options.threads } : {}),
                ...searchOptions(caseDeadline(k)),
              })
            : await branchAndBound({
                graph,
                region,
                objective: c,
                rootBounds: bounds,
                ...searchOptions(caseDeadline(k)),
              });
      if (result.nodes !== undefined) nodes = (nodes ?? 0) + result.nodes;
      if (result.open) open = result.open;
      bound = Math.max(bound, result.bound);
    }
    checkCancelled();
    searchBound = bound;
    if (bound < exactBound) {
      exactBound = bound;
      method = searchMethod;
    }
  }

  if (search !== 'bounds' && !closed() && performance.now() < deadline) await polish();
  exactBound = Math.max(exactBound, best.value);
  const upperBound = pad(exactBound);
  report(nodes);
  const certificate: Certificate = {
    supported: true,
    bestValue: best.value,
    upperBound,
    gap: relativeGap(upperBound, best.value),
    proven: closed(),
    method,
    input: best.input,
    seconds: seconds(),
    roundoff,
    bounds: { ibp, crown, ...(searchBound !== undefined ? { search: searchBound } : {}) },
    ...(nodes !== undefined ? { nodes } : {}),
    ...(open && !closed() ? { open } : {}),
    ...(region.relaxed ? { relaxed: region.relaxed } : {}),
    ...(!closed() ? { stopped: 'time-limit' as const } : {}),
  };
  return certificate;
}

/**
 * Weights above which a convolutional network gets no LP, MILP or branch and bound, only IBP and
 * α-CROWN: the Keras Fashion-MNIST CNN (2.6 million, mostly its second convolution) had its region LP
 * still unsolved after 26 s. Dense networks are not limited here (not measured at that size).
 */
const maxCnnLpWeights = 1_000_000;

function tooLargeForLp(graph: LayerGraph): boolean {
  const convolutional = graph.ops.some(
    (op) => op.kind === 'maxPool' || (op.kind === 'affine' && op.matrix.kind === 'csr'),
  );
  const weights = graph.ops.reduce(
    (sum, op) => sum + (op.kind === 'affine' ? op.matrix.values.length : 0),
    0,
  );
  return convolutional && weights > maxCnnLpWeights;
}

/**
 * α-CROWN's gap above which a one-hidden-layer network on a box may go on to the unit-subset search
 * (`phaseThenSubsetSearch`); below it (L∞ balls of ε = 0.05 on the seed model) the ReLU-phase
 * search alone proves in seconds.
 */
const subsetSearchAboveGap = 0.1;

/** The cases as one-hidden-layer forms when the subset search applies to them, else undefined. */
function hiddenLayerForms(
  graph: LayerGraph,
  cases: ConcaveCase[],
  region: CertifyRegion,
  crown: number,
  incumbent: number,
): SingleLayerForm[] | undefined {
  if (region.rows.length > 0 || !(relativeGap(crown, incumbent) > subsetSearchAboveGap)) return undefined;
  const forms = cases.map((c) => hiddenLayerForm(graph, c));
  return forms.every((f) => typeof f !== 'string') ? forms : undefined;
}

/** The best feasible input seen: candidates are rounded to float32 inside the bounds, then checked. */
function bestTracker(graph: LayerGraph, objective: ExactObjective, region: CertifyRegion) {
  const tracker = {
    value: Number.NEGATIVE_INFINITY,
    input: toFloat32Inside(region.lo, region),
    consider(x: ArrayLike<number>): number {
      const input = toFloat32Inside(x, region);
      if (region.set.violation(input) > feasibleWithin) return Number.NEGATIVE_INFINITY;
      const value = evaluateExactObjective(graph, objective, input);
      if (value > tracker.value) {
        tracker.value = value;
        tracker.input = input;
      }
      return value;
    },
  };
  return tracker;
}

/** IBP bound of one case: each linear piece maximised over the logit intervals. */
function intervalObjectiveBound(c: ConcaveCase, bounds: NodeBounds, logitsNode: number): number {
  const lo = bounds.lo[logitsNode]!;
  const hi = bounds.hi[logitsNode]!;
  const upper = (v: Float64Array) => {
    let sum = 0;
    v.forEach((w, i) => {
      sum += w > 0 ? w * hi[i]! : w * lo[i]!;
    });
    return sum;
  };
  let bound = upper(c.base);
  for (const m of c.mins) bound += m.weight * Math.min(...m.options.map(upper));
  return bound * (1 + 1e-12) + 1e-12;
}

/** The MILP of one case, solved by HiGHS from the best input known. */
async function milpSearch(
  graph: LayerGraph,
  bounds: NodeBounds,
  objective: ConcaveCase,
  region: CertifyRegion,
  best: ReturnType<typeof bestTracker>,
  deadline: number,
  tolerance: number,
  shouldStop: () => boolean,
  onBound: (bound: number) => void,
): Promise<{ bound: number }> {
  const milp = buildNetworkMilp(graph, bounds, objective, region);
  const outputs = forwardLayerGraph(graph, best.input);
  const solved = await solveLp(milp.lp, {
    integers: milp.integers,
    timeLimitSeconds: (deadline - performance.now()) / 1000,
    start: milp.startAt(best.input, outputs),
    mipRelGap: tolerance,
    presolve: false,
    inProcess: { shouldStop, onProgress: (p) => onBound(padLp(p.bound)) },
  });
  if (solved.feasible) best.consider(solved.x.slice(0, graph.inputSize));
  return { bound: padLp(solved.bound) };
}
