import { buildFeasibleSet, type FeasibleSet } from '../constraints/feasibleSet.ts';
import { type LinearDomain, linearDomain } from '../lp/linearDomain.ts';
import type { ConstraintSpec } from '../spec/types.ts';

/** The feasible set of `spec` for a flat input of `size` values. */
export function feasibleSetFor(spec: ConstraintSpec, size: number): FeasibleSet {
  return buildFeasibleSet(spec, { size, shape: [size] });
}

/** The LP bounds and rows of `spec` for a flat input of `size` values. */
export function linearDomainFor(spec: ConstraintSpec, size: number): LinearDomain {
  return linearDomain(feasibleSetFor(spec, size));
}
