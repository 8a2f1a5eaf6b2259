import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backend/initBackend.ts';
import { buildFeasibleSet } from '../constraints/feasibleSet.ts';
import { tapModel } from '../network/modelTaps.ts';
import { buildObjective } from '../objectives/buildObjective.ts';
import { evaluateObjective } from '../optimize/evaluateObjective.ts';
import type { StepEvent } from '../spec/types.ts';
import { loadTestModel, testModelPaths } from '../testing/testModels.ts';
import { bestRows, type KeepBest } from './keepBest.ts';
import type { MethodOutcome, MethodSettings } from './methodContext.ts';
import { projectedAdam } from './projectedAdam.ts';

beforeAll(async () => {
  await initBackend(undefined, () => {});
});

describe('bestRows', () => {
  it('answers the rows of the highest values in row order, ties to the lower row, NaN last', () => {
    expect(bestRows([3, 9, 1, 9, 5], 3)).toEqual([1, 3, 4]);
    expect(bestRows([2, 2, 2], 2)).toEqual([0, 1]);
    expect(bestRows([Number.NaN, 1, 0], 2)).toEqual([1, 2]);
    expect(bestRows([4, 1], 5)).toEqual([0, 1]);
  });
});

/** Every step's event and the outcome of projected-adam on the model (box [0, 1], logit 3). */
async function run(path: string, settings: Partial<MethodSettings>) {
  const model = await loadTestModel(path);
  const network = tapModel(model);
  const set = buildFeasibleSet(undefined, { size: network.inputSize, shape: network.inputShape });
  const objective = buildObjective(network, { kind: 'logit', index: 3 });
  const events: StepEvent[] = [];
  const method = projectedAdam({
    objective,
    set,
    settings: {
      steps: 24,
      restarts: 16,
      seed: 5,
      learningRate: 0.3,
      parameterization: 'pixel',
      regularizers: {},
      returnAllStarts: false,
      ...settings,
    },
    snapshot: () => false,
  });
  let next = await method.next();
  while (!next.done) {
    events.push(next.value);
    next = await method.next();
  }
  network.dispose();
  return { model, events, outcome: next.value as MethodOutcome };
}

describe.each(testModelPaths)('projected-adam keeping the best starts on the $name', ({ path }) => {
  it('goes on with exactly the starts that were best at each cut, on their own paths', async () => {
    // Three cuts, as the time budget's default has: the middle one leaves the last survivors longer.
    const keepBest: KeepBest[] = [
      { after: 2, starts: 12 },
      { after: 5, starts: 7 },
      { after: 10, starts: 3 },
    ];
    const all = await run(path, {});
    const cut = await run(path, { keepBest });

    // From the uncut run: which starts go on after each step. Each cut ranks the starts still going
    // by their best value over the steps before it (the first evaluation, at the starts, is not an
    // event; at vertex starts it is far below the later ones).
    const going: number[][] = [];
    let survivors = all.events[0]!.objectives.map((_, s) => s);
    all.events.forEach((_, i) => {
      const c = keepBest.find((k) => k.after === i);
      if (c) {
        const before = all.events.slice(0, i);
        const best = survivors.map((s) => Math.max(...before.map((e) => e.objectives[s]!)));
        survivors = bestRows(best, c.starts).map((r) => survivors[r]!);
      }
      going.push(survivors);
    });
    expect(going.at(-1)).toHaveLength(3);

    expect(cut.events).toHaveLength(24);
    cut.events.forEach((event, i) => {
      // Each step describes the starts still going, in row order, as they were in the uncut run.
      const expected = going[i]!.map((s) => all.events[i]!.objectives[s]!);
      expect(event.objectives).toHaveLength(expected.length);
      event.objectives.forEach((value, j) => {
        expect(value).toBeCloseTo(expected[j]!, 3);
      });
    });

    // Its answer is the best the uncut run's steps reached among the starts still going at each step,
    // and it is what the model gives at that input.
    const reached = Math.max(
      ...all.events.map((e, i) => Math.max(...going[i]!.map((s) => e.objectives[s]!))),
    );
    expect(cut.outcome.value).toBeCloseTo(reached, 3);
    const [evaluated] = await evaluateObjective(cut.model, { kind: 'logit', index: 3 }, [cut.outcome.input]);
    expect(evaluated!.value).toBeCloseTo(cut.outcome.value, 3);
  });

  it('ignores the cut when every start is asked for', async () => {
    const { events, outcome } = await run(path, {
      keepBest: [{ after: 6, starts: 4 }],
      returnAllStarts: true,
    });
    expect(events.every((e) => e.objectives.length === 16)).toBe(true);
    expect(outcome.starts).toHaveLength(16);
  });
});
