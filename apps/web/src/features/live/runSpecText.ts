import type { ResultOf } from 'gql.tada';
import { graphql } from '../../graphql/graphql.ts';

/** What the pages say about a run's request (the server's typed `Run.spec`; no reference images). */
export const RunSpecFieldsFragment = graphql(`
  fragment RunSpecFields on RunSpec @_unmask {
    objective {
      kind
      index
      layer
      channel
    }
    method
    steps
    restarts
    timeBudgetSeconds
    seed
    constraints {
      box {
        lo
        hi
      }
      linf {
        epsilon
      }
      l2 {
        epsilon
      }
      mask {
        __typename
      }
      linear {
        bound
      }
      quantizeLevels
    }
    prior
    accentuate
    diverse
  }
`);

export type RunSpecFields = ResultOf<typeof RunSpecFieldsFragment>;

/** What a time budget chose (`Run.budget`), or the counts the live events carry. */
export interface ChosenCounts {
  steps: number;
  restarts: number;
  seconds?: number;
  secondsPerStep?: number | null;
}

/**
 * "200 steps × 16 restarts" as asked for; "80 steps × 128 restarts, fitted to a 3 s time budget (~0.61 ms
 * a step)" as a budget chose them; "steps and restarts fitted to a 3 s time budget" until it has.
 */
export function runSizeText(spec: RunSpecFields, chosen: ChosenCounts | null): string {
  if (spec.timeBudgetSeconds === null) return `${spec.steps} steps × ${spec.restarts} restarts`;
  const budget = `fitted to a ${spec.timeBudgetSeconds} s time budget`;
  if (!chosen) return `steps and restarts ${budget}`;
  const perStep = chosen.secondsPerStep
    ? ` (~${(chosen.secondsPerStep * 1000).toPrecision(2)} ms a step)`
    : '';
  return `${chosen.steps} steps × ${chosen.restarts} restarts, ${budget}${perStep}`;
}

/** "logit “seven” (7)", "unit dense_1[3]": what the run maximises, in words. */
export function objectiveText(spec: RunSpecFields, classNames: readonly string[] | null | undefined): string {
  const { kind, index, layer, channel } = spec.objective;
  const at = index ?? channel;
  const name = at !== null && !layer ? classNames?.[at] : undefined;
  const what = layer
    ? `${layer}[${at ?? '?'}]`
    : name
      ? `“${name}” (${at})`
      : at !== null
        ? `output ${at}`
        : '';
  return `${kind} ${what}`.trim();
}

/** The class the run targets, when it targets one (not a layer's unit or channel). */
export const targetClass = (spec: RunSpecFields): number | null =>
  spec.objective.layer ? null : (spec.objective.index ?? spec.objective.channel);

/** One phrase per constraint: "box [0, 1]", "L∞ ball ε=0.1", "fixed mask", "2 linear", "256 levels". */
export function constraintTexts(spec: RunSpecFields): string[] {
  const c = spec.constraints;
  const texts = [`box [${c.box.lo}, ${c.box.hi}]`];
  if (c.linf) texts.push(`L∞ ball ε=${c.linf.epsilon}`);
  if (c.l2) texts.push(`L2 ball ε=${c.l2.epsilon}`);
  if (c.mask) texts.push('fixed mask');
  if (c.linear) texts.push(`${c.linear.length} linear`);
  if (c.quantizeLevels !== null) texts.push(`${c.quantizeLevels} levels`);
  if (spec.prior !== 'NONE') texts.push(`${priorLabels[spec.prior]} prior`);
  if (spec.accentuate)
    texts.push(
      spec.accentuate === 'REFERENCE' ? 'accentuated from a reference' : 'accentuated from a real image',
    );
  if (spec.diverse !== null) texts.push(`${spec.diverse} diverse prototypes`);
  return texts;
}

/** The dataset priors as the pages name them. */
export const priorLabels = { NONE: 'None', FASHION_MNIST: 'Fashion-MNIST', MNIST: 'MNIST' } as const;
