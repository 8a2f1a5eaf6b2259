import type { NodeBounds } from '../network/intervalBounds.ts';
import type { LayerGraph } from '../network/layerGraph.ts';
import type { ExactObjective } from '../objectives/exactObjective.ts';

const unit32 = 2 ** -24;

/** γ_n for float32: the relative error bound of an n-term dot product in any summation order. */
function gamma32(n: number): number {
  return (n * unit32) / (1 - n * unit32);
}

/**
 * How far a float32 forward pass (tfjs, any backend, any summation order, fused multiply-adds or not)
 * can end above the exact objective anywhere in the region, by standard a-priori error analysis: per
 * affine op `|fl(Wx+b) − (Wx+b)| ≤ |W|·E_in + γ_{k+1}·(|W|·|x| + |b|)` with `|x|` from the node
 * bounds, ReLU and max pooling never increase the error. Inputs are float32 values, so exact.
 */
export function float32Allowance(graph: LayerGraph, bounds: NodeBounds, objective: ExactObjective): number {
  let error = new Float64Array(graph.inputSize);
  graph.ops.forEach((op, p) => {
    const lo = bounds.lo[p]!;
    const hi = bounds.hi[p]!;
    const magnitude = (i: number) => Math.max(Math.abs(lo[i]!), Math.abs(hi[i]!)) + error[i]!;
    if (op.kind === 'affine') {
      const next = new Float64Array(op.outSize);
      const W = op.matrix;
      for (let o = 0; o < op.outSize; o++) {
        let propagated = 0;
        let size = Math.abs(op.bias[o]!);
        let terms = 1;
        if (W.kind === 'dense') {
          const row = o * op.inSize;
          for (let i = 0; i < op.inSize; i++) {
            const w = Math.abs(W.values[row + i]!);
            propagated += w * error[i]!;
            size += w * magnitude(i);
          }
          terms += op.inSize;
        } else {
          for (let k = W.starts[o]!; k < W.starts[o + 1]!; k++) {
            const w = Math.abs(W.values[k]!);
            propagated += w * error[W.cols[k]!]!;
            size += w * magnitude(W.cols[k]!);
          }
          terms += W.starts[o + 1]! - W.starts[o]!;
        }
        // 4 extra roundings cover ops tfjs runs separately (bias add, folded BatchNormalization).
        next[o] = propagated + (gamma32(terms) + 4 * unit32) * size;
      }
      error = next;
    } else if (op.kind === 'relu') {
      // |max(a,0) − max(b,0)| ≤ |a − b|.
    } else if (op.kind === 'leakyRelu') {
      error = error.map((e, i) => e + unit32 * op.alpha * magnitude(i));
    } else {
      const next = new Float64Array(op.outSize);
      for (let o = 0; o < op.outSize; o++) {
        for (let k = op.starts[o]!; k < op.starts[o + 1]!; k++)
          next[o] = Math.max(next[o]!, error[op.inputs[k]!]!);
      }
      error = next;
    }
  });
  const logits = graph.ops.length;
  const magnitude = (i: number) =>
    Math.max(Math.abs(bounds.lo[logits]![i]!), Math.abs(bounds.hi[logits]![i]!)) + error[i]!;
  let total = 0;
  let size = 0;
  let terms = 0;
  // Every term weighs a logit (compileCertifiedObjective).
  const linear = new Float64Array(graph.outputSize);
  for (const t of objective.affine) linear[t.index]! += t.weight;
  linear.forEach((w, i) => {
    if (w === 0) return;
    total += Math.abs(w) * error[i]!;
    size += Math.abs(w) * magnitude(i);
    terms++;
  });
  total += gamma32(terms + 1) * size;
  let worstError = 0;
  let worstMagnitude = 0;
  for (let i = 0; i < error.length; i++) {
    worstError = Math.max(worstError, error[i]!);
    worstMagnitude = Math.max(worstMagnitude, magnitude(i));
  }
  for (const m of objective.margins) {
    total +=
      Math.abs(m.weight) *
      (error[m.index]! + worstError + 4 * unit32 * (magnitude(m.index) + worstMagnitude));
  }
  return total;
}
