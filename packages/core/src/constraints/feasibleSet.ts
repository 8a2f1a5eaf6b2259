import { InvalidArgumentError } from '../errors.ts';
import type { ConstraintSpec } from '../spec/types.ts';
import { type Bounds, boxViolation, parseBox } from './box.ts';
import { dykstra, type Projector } from './dykstra.ts';
import { EmptyFeasibleSetError } from './emptyFeasibleSet.ts';
import { type FixedMask, parseFixedMask, pinFixedInputs } from './fixedMask.ts';
import { type Bounds32, boundsToFloat32 } from './float32Bounds.ts';
import { checkBallMeetsBounds, type L2Ball, l2Violation, parseL2Ball, projectBoxBall } from './l2Ball.ts';
import {
  checkHalfspaceMeetsBounds,
  type Halfspace,
  halfspaceViolation,
  parseLinearInequality,
  projectBoxHalfspace,
} from './linearInequality.ts';
import { intersectLinfBall, type LinfBall, parseLinfBall } from './linfBall.ts';
import { parseQuantize } from './quantize.ts';
import type { InputDescription } from './vectors.ts';

/** Feasibility tolerance for answers, in input units (what results, certificates and polish promise). */
export const feasibleWithin = 1e-6;

/** Projections end within this violation (input units): well inside `feasibleWithin`. */
export const projectionTolerance = 1e-7;

/**
 * All constraints of a run as one convex set. The box, L∞ ball and fixed mask are all per-input
 * bounds, so their intersection is a box (`bounds`) and projecting onto it is an exact clip. Halfspaces
 * and an L2 ball are projected exactly when there is one of them (a scalar multiplier search), and by
 * Dykstra's algorithm plus a final pull toward a feasible `anchor` when there are several.
 */
export interface FeasibleSet {
  input: InputDescription;
  /** The box as asked for (quantisation levels are spread over it). */
  box: Bounds;
  /** box ∩ L∞ ball ∩ mask. */
  bounds: Bounds;
  /** `bounds` rounded inward to float32: clipping to these never leaves the set. */
  bounds32: Bounds32;
  halfspaces: Halfspace[];
  ball?: L2Ball;
  linf?: LinfBall;
  mask?: FixedMask;
  quantize?: { levels: number };
  /** True when the set is `bounds` alone, so a clip is the exact projection. */
  isBox: boolean;
  /** A feasible input (float32 values). */
  anchor: Float32Array;
  /** Largest violation of any constraint, in input units (0 inside). */
  violation(x: ArrayLike<number>): number;
  /** Projects one input in place onto the set, feasible within `projectionTolerance`. */
  project(x: Float32Array): void;
}

/** Validates the constraints against the model input and composes them; reports an empty set. */
export function buildFeasibleSet(spec: ConstraintSpec | undefined, input: InputDescription): FeasibleSet {
  if (spec != null && typeof spec !== 'object') {
    throw new InvalidArgumentError(
      'constraints',
      spec,
      'an object with box, linf, l2, mask, linear, quantize',
    );
  }
  const box = parseBox(spec?.box, input);
  const bounds: Bounds = { lo: Float64Array.from(box.lo), hi: Float64Array.from(box.hi) };
  const linf = spec?.linf ? parseLinfBall(spec.linf, input) : undefined;
  const mask = spec?.mask ? parseFixedMask(spec.mask, input) : undefined;
  const ball = spec?.l2 ? parseL2Ball(spec.l2, input) : undefined;
  if (spec?.linear != null && !Array.isArray(spec.linear)) {
    throw new InvalidArgumentError(
      'constraints.linear',
      spec.linear,
      'an array of { weights, sense, bound }',
    );
  }
  const halfspaces = (spec?.linear ?? []).map((c, i) => parseLinearInequality(c, i, input));
  const quantize = spec?.quantize ? parseQuantize(spec.quantize) : undefined;

  if (linf) intersectLinfBall(bounds, linf);
  if (mask) pinFixedInputs(bounds, mask);
  if (ball) checkBallMeetsBounds(ball, bounds);
  for (const h of halfspaces) checkHalfspaceMeetsBounds(h, bounds);
  const bounds32 = boundsToFloat32(bounds);

  const violation = (x: ArrayLike<number>): number => {
    let worst = boxViolation(x, bounds);
    for (const h of halfspaces) worst = Math.max(worst, halfspaceViolation(x, h));
    if (ball) worst = Math.max(worst, l2Violation(x, ball));
    return worst;
  };
  const projectors = (shrink: number): Projector[] => [
    ...halfspaces.map((h): Projector => {
      const tighter = { ...h, b: h.b - shrink };
      return (y, out) => projectBoxHalfspace(y, bounds32, tighter, out);
    }),
    ...(ball
      ? [
          (y: ArrayLike<number>, out: Float64Array) =>
            projectBoxBall(y, bounds32, { ...ball, radius: Math.max(0, ball.radius - shrink) }, out),
        ]
      : []),
  ];
  const isBox = halfspaces.length === 0 && !ball;
  const exact = projectors(0);
  const nearest = (y: ArrayLike<number>, iterations: number, sets: Projector[]): Float64Array => {
    if (sets.length === 0) return clip64(y, bounds32);
    if (sets.length === 1) return sets[0]!(y, new Float64Array(y.length));
    return dykstra(y, sets, iterations, (x) => violation(x) <= projectionTolerance / 10);
  };

  const anchor = findAnchor(
    input.size,
    bounds,
    ball,
    linf,
    mask,
    (y) => nearest(y, 5000, projectors(1e-6)),
    violation,
  );
  const scratch = new Float32Array(input.size);
  return {
    input,
    box,
    bounds,
    bounds32,
    halfspaces,
    ...(ball ? { ball } : {}),
    ...(linf ? { linf } : {}),
    ...(mask ? { mask } : {}),
    ...(quantize ? { quantize } : {}),
    isBox,
    anchor,
    violation,
    project: (x) => {
      if (isBox) {
        clip32(x, bounds32);
        return;
      }
      const target = nearest(x, 100, exact);
      pullToward(anchor, target, x, scratch, violation);
    },
  };
}

function clip32(x: Float32Array, { lo, hi }: Bounds32): void {
  for (let i = 0; i < x.length; i++) x[i] = Math.min(hi[i]!, Math.max(lo[i]!, x[i]!));
}

function clip64(y: ArrayLike<number>, { lo, hi }: Bounds32): Float64Array {
  const out = new Float64Array(y.length);
  for (let i = 0; i < out.length; i++) out[i] = Math.min(hi[i]!, Math.max(lo[i]!, y[i]!));
  return out;
}

/**
 * Writes into `out` the point of the segment anchor → target closest to target whose float32 values
 * are feasible: the set is convex and the anchor feasible, so the segment's feasible part is [0, t*].
 */
function pullToward(
  anchor: Float32Array,
  target: Float64Array,
  out: Float32Array,
  scratch: Float32Array,
  violation: (x: ArrayLike<number>) => number,
): void {
  const at = (t: number, into: Float32Array) => {
    for (let i = 0; i < into.length; i++) into[i] = anchor[i]! + t * (target[i]! - anchor[i]!);
    return into;
  };
  if (violation(at(1, out)) <= projectionTolerance) return;
  let lo = 0;
  let hi = 1;
  for (let i = 0; i < 40; i++) {
    const mid = (lo + hi) / 2;
    if (violation(at(mid, scratch)) <= projectionTolerance) lo = mid;
    else hi = mid;
  }
  at(lo, out);
}

/** A feasible float32 input near the references (or the middle of the bounds). */
function findAnchor(
  size: number,
  bounds: Bounds,
  ball: L2Ball | undefined,
  linf: LinfBall | undefined,
  mask: FixedMask | undefined,
  nearest: (y: ArrayLike<number>) => Float64Array,
  violation: (x: ArrayLike<number>) => number,
): Float32Array {
  const middle = new Float64Array(size);
  for (let i = 0; i < size; i++) middle[i] = (bounds.lo[i]! + bounds.hi[i]!) / 2;
  const candidates = [ball?.center, linf?.reference, mask?.reference, middle].filter((c) => c !== undefined);
  for (const candidate of candidates) {
    const point = Float32Array.from(nearest(candidate));
    if (violation(point) <= projectionTolerance) return point;
  }
  throw new EmptyFeasibleSetError(
    'no input satisfies all the constraints together (alternating projections found none)',
  );
}
