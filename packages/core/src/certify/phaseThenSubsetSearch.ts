import type { SingleLayerForm } from '../lp/singleLayerForm.ts';
import { threadCpuSeconds } from '../optimize/threadClock.ts';
import { type BranchAndBoundInput, branchAndBound } from './branchAndBound.ts';
import { relativeGap } from './relativeGap.ts';
import { subsetBranchAndBound } from './subsetBranchAndBound.ts';
import type { OpenSummary } from './types.ts';

/**
 * Which branch and bound closes a problem fastest depends on it: the ReLU-phase search (α/β-CROWN
 * node bounds) proves small regions in seconds, while on large ones its per-neuron bounds stall and
 * the unit-subset search (one-hidden-layer networks on a box) gets far lower. So the phase search
 * runs first; once `probeShare` of the time is spent, it goes on only while its gap is at most
 * `keepGap`, and the subset search gets the rest. The bound is the lower of the two (both sound).
 * Measured on the seed model, L∞ ε = 0.1, class 0: phase search proven in 9 s, subset search in 36 s;
 * whole box: median gap 27 % against 3.1 % after 60 s. With `keepGap` 2 % the ε = 0.1 ball of class 5
 * went to the subset search and stayed open (0.19 %); at 10 % the phase search proves it in 15 s.
 *
 * The probe's share is of this thread's CPU time where it can be read (`threadCpuSeconds`), not of
 * the wall clock alone: on a loaded machine (load 12–15 on 2 cores, the subset search's threads
 * running beside it) the phase search got so little CPU in its wall-clock tenth that classes 0, 4, 5
 * and 7 of the ε = 0.1 balls went to the subset search and stayed open after 60 s. The probe still
 * ends by `maxProbeShare` of the wall-clock time, and at its wall-clock tenth where the phase search's
 * gap is above `hopelessGap` (whole boxes: the subset search's branching is not held back on them).
 * `keepGap` 15 %: with children starting from their parents' slopes, the ε = 0.1 ball of class 5 stood
 * at 10.6 % after its probe (47 nodes) and the phase search alone proves it in 199 nodes, while class
 * 3's stood at 20 % after 51 nodes (14 % after 145: the subset search's turn).
 */
export const probeShare = 0.1;
export const maxProbeShare = 0.5;
export const keepGap = 0.15;
export const hopelessGap = 0.25;

export async function phaseThenSubsetSearch(
  input: BranchAndBoundInput & { form: SingleLayerForm; threads?: number },
): Promise<{ bound: number; nodes: number; searches: ('phase' | 'subsets')[]; open?: OpenSummary }> {
  const started = performance.now();
  const probeEnd = started + probeShare * (input.deadline - started);
  const latestProbeEnd = started + maxProbeShare * (input.deadline - started);
  const probeCpuSeconds = (probeShare * (input.deadline - started)) / 1000;
  const cpuStart = threadCpuSeconds();
  const probeOver = (gap: number) => {
    const now = performance.now();
    if (now <= probeEnd) return false;
    if (gap > hopelessGap || now >= latestProbeEnd || cpuStart === undefined) return true;
    const cpu = threadCpuSeconds();
    return cpu === undefined || cpu - cpuStart >= probeCpuSeconds;
  };
  let phaseBound = Number.POSITIVE_INFINITY;
  let incumbent = input.incumbent;
  let phaseNodes = 0;
  // The subset search starts at once: on worker threads its root (~10 s on the seed model) is
  // bounded while the phase search runs here; it branches only if the phase search gives up.
  let release: (outcome: { proceed: boolean; incumbent: number }) => void = () => {};
  const after = new Promise<{ proceed: boolean; incumbent: number }>((resolve) => {
    release = resolve;
  });
  const subsetRun = subsetBranchAndBound({
    form: input.form,
    lo: input.region.lo,
    hi: input.region.hi,
    incumbent,
    consider: input.consider,
    deadline: input.deadline,
    tolerance: input.tolerance,
    shouldStop: input.shouldStop,
    onBound: (bound, best, nodes) => input.onBound?.(Math.min(bound, phaseBound), best, phaseNodes + nodes),
    after,
    ...(input.threads !== undefined ? { threads: input.threads } : {}),
  });
  let phase: Awaited<ReturnType<typeof branchAndBound>>;
  try {
    phase = await branchAndBound({
      ...input,
      shouldStop: () => {
        const gap = relativeGap(phaseBound, incumbent);
        return input.shouldStop() || (gap > keepGap && probeOver(gap));
      },
      onBound: (bound, best, nodes) => {
        phaseBound = Math.min(phaseBound, bound);
        incumbent = Math.max(incumbent, best);
        input.onBound?.(bound, best, nodes);
      },
    });
  } catch (error) {
    release({ proceed: false, incumbent });
    await subsetRun.catch(() => {});
    throw error;
  }
  phaseNodes = phase.nodes;
  const proceed = !(phase.complete || input.shouldStop() || performance.now() >= input.deadline);
  release({ proceed, incumbent: Math.max(incumbent, phase.incumbent) });
  const subsets = await subsetRun;
  if (!proceed) return { bound: phase.bound, nodes: phase.nodes, searches: ['phase'] };
  return {
    bound: Math.min(phase.bound, subsets.bound),
    nodes: phase.nodes + subsets.nodes,
    searches: ['phase', 'subsets'],
    ...(subsets.complete ? {} : { open: subsets.open }),
  };
}
