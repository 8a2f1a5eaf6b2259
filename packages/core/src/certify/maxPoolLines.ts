import type { MaxPoolOp } from '../network/layerGraph.ts';

/**
 * The linear bounds of each max-pool output `y = max_k x_k` over the node bounds `[l, u]`. Lower:
 * `y ≥ x_j` for the input j with the largest lower bound. Upper: with `L = l_j`,
 * `y = L + max_k (x_k − L)₊ ≤ L + Σ_k (x_k − L)₊`, each term under its chord on `[l_k, u_k]` (zero when
 * `u_k ≤ L`, exact for j), which gives `y ≤ x_j + Σ_{k≠j, u_k > L} s_k (x_k − l_k)` with
 * `s_k = (u_k − L)/(u_k − l_k)`; when the constant `max_k u_k` is lower on average over the box (at its
 * centre), that constant instead. Both are exact when one input dominates (its lower bound is at least
 * every other's upper bound).
 */
export interface MaxPoolLines {
  /** Per output: the input index of the lower line `y ≥ x_j`. */
  lower: Int32Array;
  /** Per entry of `op.inputs`: its slope in the upper line. */
  upperSlope: Float64Array;
  /** Per output: the upper line's constant. */
  upperConstant: Float64Array;
}

export function maxPoolLines(op: MaxPoolOp, lo: Float64Array, hi: Float64Array): MaxPoolLines {
  const lower = new Int32Array(op.outSize);
  const upperSlope = new Float64Array(op.inputs.length);
  const upperConstant = new Float64Array(op.outSize);
  for (let o = 0; o < op.outSize; o++) {
    const start = op.starts[o]!;
    const end = op.starts[o + 1]!;
    let best = start;
    let top = Number.NEGATIVE_INFINITY;
    for (let k = start; k < end; k++) {
      if (lo[op.inputs[k]!]! > lo[op.inputs[best]!]!) best = k;
      top = Math.max(top, hi[op.inputs[k]!]!);
    }
    const L = lo[op.inputs[best]!]!;
    lower[o] = op.inputs[best]!;
    // The sum-of-excess line, and its value at the centre of the box.
    let constant = 0;
    let centre = (L + hi[op.inputs[best]!]!) / 2;
    for (let k = start; k < end; k++) {
      const i = op.inputs[k]!;
      if (k === best) upperSlope[k] = 1;
      else if (hi[i]! > L) {
        const s = (hi[i]! - L) / (hi[i]! - lo[i]!);
        upperSlope[k] = s;
        constant -= s * lo[i]!;
        centre += (s * (hi[i]! - lo[i]!)) / 2;
      }
    }
    if (centre <= top) upperConstant[o] = constant;
    else {
      upperSlope.fill(0, start, end);
      upperConstant[o] = top;
    }
  }
  return { lower, upperSlope, upperConstant };
}
