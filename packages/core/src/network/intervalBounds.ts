import type { AffineOp, LayerGraph, LayerOp } from './layerGraph.ts';

/**
 * Lower and upper bounds of every node over a region: node 0 is the input, node i + 1 the output of op
 * i (so op p reads node p). Every computed bound is padded outward by a float64 round-off allowance,
 * so the bounds hold for the exact (real-arithmetic) network.
 */
export interface NodeBounds {
  lo: Float64Array[];
  hi: Float64Array[];
}

/** Relative float64 round-off allowance of a sum of `terms` products (γ_n with room to spare). */
export function float64Allowance(terms: number): number {
  return (terms + 2) * 2 ** -52;
}

/** Interval bound propagation (IBP) from the input bounds through every op. */
export function intervalBounds(graph: LayerGraph, lo: Float64Array, hi: Float64Array): NodeBounds {
  const bounds: NodeBounds = { lo: [Float64Array.from(lo)], hi: [Float64Array.from(hi)] };
  graph.ops.forEach((op, p) => {
    const [l, u] = propagateOp(op, bounds.lo[p]!, bounds.hi[p]!);
    bounds.lo.push(l);
    bounds.hi.push(u);
  });
  return bounds;
}

/**
 * Re-propagates intervals from node `from` onward, keeping the tighter of the old and new bound at
 * every later node (both are valid). Returns false when some node's interval becomes empty: no input
 * of the region reaches it (e.g. contradictory ReLU phases).
 */
export function tightenFrom(graph: LayerGraph, bounds: NodeBounds, from: number): boolean {
  for (let p = from; p < graph.ops.length; p++) {
    const [l, u] = propagateOp(graph.ops[p]!, bounds.lo[p]!, bounds.hi[p]!);
    const lo = bounds.lo[p + 1]!;
    const hi = bounds.hi[p + 1]!;
    for (let i = 0; i < lo.length; i++) {
      lo[i] = Math.max(lo[i]!, l[i]!);
      hi[i] = Math.min(hi[i]!, u[i]!);
      if (lo[i]! > hi[i]!) return false;
    }
  }
  return true;
}

export function cloneBounds(bounds: NodeBounds): NodeBounds {
  return { lo: bounds.lo.map((a) => a.slice()), hi: bounds.hi.map((a) => a.slice()) };
}

function propagateOp(op: LayerOp, lo: Float64Array, hi: Float64Array): [Float64Array, Float64Array] {
  switch (op.kind) {
    case 'affine':
      return affineInterval(op, lo, hi);
    case 'relu':
      return [lo.map((v) => Math.max(v, 0)), hi.map((v) => Math.max(v, 0))];
    case 'leakyRelu':
      return [lo.map((v) => (v > 0 ? v : op.alpha * v)), hi.map((v) => (v > 0 ? v : op.alpha * v))];
    case 'maxPool': {
      const l = new Float64Array(op.outSize).fill(Number.NEGATIVE_INFINITY);
      const u = new Float64Array(op.outSize).fill(Number.NEGATIVE_INFINITY);
      for (let o = 0; o < op.outSize; o++) {
        for (let k = op.starts[o]!; k < op.starts[o + 1]!; k++) {
          l[o] = Math.max(l[o]!, lo[op.inputs[k]!]!);
          u[o] = Math.max(u[o]!, hi[op.inputs[k]!]!);
        }
      }
      return [l, u];
    }
  }
}

/** Centre/radius form: `W·mid + b ± |W|·rad`, padded by the round-off of each row's sums. */
function affineInterval(op: AffineOp, lo: Float64Array, hi: Float64Array): [Float64Array, Float64Array] {
  const mid = lo.map((l, i) => (l + hi[i]!) / 2);
  const rad = lo.map((l, i) => (hi[i]! - l) / 2);
  const mag = lo.map((l, i) => Math.max(Math.abs(l), Math.abs(hi[i]!)));
  const l = new Float64Array(op.outSize);
  const u = new Float64Array(op.outSize);
  const m = op.matrix;
  for (let o = 0; o < op.outSize; o++) {
    let centre = op.bias[o]!;
    let radius = 0;
    let size = Math.abs(op.bias[o]!);
    let terms = 0;
    if (m.kind === 'dense') {
      const row = o * op.inSize;
      for (let i = 0; i < op.inSize; i++) {
        const w = m.values[row + i]!;
        centre += w * mid[i]!;
        radius += Math.abs(w) * rad[i]!;
        size += Math.abs(w) * mag[i]!;
      }
      terms = op.inSize;
    } else {
      for (let k = m.starts[o]!; k < m.starts[o + 1]!; k++) {
        const w = m.values[k]!;
        const i = m.cols[k]!;
        centre += w * mid[i]!;
        radius += Math.abs(w) * rad[i]!;
        size += Math.abs(w) * mag[i]!;
      }
      terms = m.starts[o + 1]! - m.starts[o]!;
    }
    const pad = float64Allowance(2 * terms) * (size + Math.abs(centre) + radius);
    l[o] = centre - radius - pad;
    u[o] = centre + radius + pad;
  }
  return [l, u];
}
