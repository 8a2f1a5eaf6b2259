import { float64Allowance, type NodeBounds } from '../network/intervalBounds.ts';
import { type LayerGraph, opSize } from '../network/layerGraph.ts';
import { type MaxPoolLines, maxPoolLines } from './maxPoolLines.ts';

/**
 * CROWN bounds of one node's units, one unit at a time, carrying only the non-zero coefficients back
 * to the input. A convolution unit depends on a small patch of the input (a 3×3 conv over a 2×2 pool
 * over a 3×3 conv reads 8×8 pixels), so each unit costs its receptive field, not the layers' widths:
 * the dense back-substitution (`backward`) would carry a full row per layer for every unit. The
 * relaxation is the same as `backward`'s (triangle upper line, lower slope from `slopes`, max-pool
 * lines), so either gives a sound bound.
 */
export class SparseRowBounds {
  private readonly values: Float64Array[];
  private readonly marks: Uint8Array[];
  private readonly lists: Int32Array[];
  private readonly pools: (MaxPoolLines | undefined)[];
  /** Multiply-adds of the last row (an estimate of what the next one costs). */
  work = 0;
  private readonly terms: number;

  constructor(
    private readonly graph: LayerGraph,
    private readonly bounds: NodeBounds,
    private readonly node: number,
    private readonly slopes: (Float64Array | undefined)[],
  ) {
    const sizes = [graph.inputSize, ...graph.ops.slice(0, node).map(opSize)];
    this.values = sizes.map((n) => new Float64Array(n));
    this.marks = sizes.map((n) => new Uint8Array(n));
    this.lists = sizes.map((n) => new Int32Array(n));
    this.pools = graph.ops
      .slice(0, node)
      .map((op, p) => (op.kind === 'maxPool' ? maxPoolLines(op, bounds.lo[p]!, bounds.hi[p]!) : undefined));
    let terms = 0;
    for (const op of graph.ops.slice(0, node)) {
      if (op.kind === 'affine') {
        const W = op.matrix;
        terms +=
          W.kind === 'dense' ? op.outSize : Math.ceil(W.values.length / Math.max(1, op.inSize)) + op.outSize;
      } else if (op.kind === 'maxPool') terms += 4;
    }
    this.terms = terms;
  }

  /**
   * The maximum of `sign · unit` over the input box `[lo, hi]` (node 0's bounds), padded for round-off.
   */
  upper(unit: number, sign: 1 | -1): number {
    const { graph, bounds } = this;
    let count = 1;
    let p = this.node;
    this.values[p]![unit] = sign;
    this.lists[p]![0] = unit;
    this.marks[p]![unit] = 1;
    let c = 0;
    let magnitude = 0;
    let work = 0;
    for (p = this.node - 1; p >= 0; p--) {
      const op = graph.ops[p]!;
      const from = this.values[p + 1]!;
      const fromList = this.lists[p + 1]!;
      const fromMarks = this.marks[p + 1]!;
      const to = this.values[p]!;
      const toList = this.lists[p]!;
      const toMarks = this.marks[p]!;
      let next = 0;
      const add = (i: number, v: number) => {
        if (!toMarks[i]) {
          toMarks[i] = 1;
          toList[next++] = i;
        }
        to[i]! += v;
      };
      const l = bounds.lo[p]!;
      const u = bounds.hi[p]!;
      for (let t = 0; t < count; t++) {
        const o = fromList[t]!;
        const v = from[o]!;
        from[o] = 0;
        fromMarks[o] = 0;
        if (v === 0) continue;
        if (op.kind === 'affine') {
          const b = v * op.bias[o]!;
          c += b;
          magnitude += Math.abs(b);
          const W = op.matrix;
          if (W.kind === 'dense') {
            const row = o * op.inSize;
            for (let i = 0; i < op.inSize; i++) add(i, v * W.values[row + i]!);
            work += op.inSize;
          } else {
            for (let k = W.starts[o]!; k < W.starts[o + 1]!; k++) add(W.cols[k]!, v * W.values[k]!);
            work += W.starts[o + 1]! - W.starts[o]!;
          }
        } else if (op.kind === 'relu' || op.kind === 'leakyRelu') {
          const a = op.kind === 'relu' ? 0 : op.alpha;
          const lj = l[o]!;
          const uj = u[o]!;
          if (uj <= 0) {
            if (a !== 0) add(o, v * a);
          } else if (lj >= 0) add(o, v);
          else if (v > 0) {
            const s = (uj - a * lj) / (uj - lj);
            add(o, v * s);
            const intercept = v * (a * lj - s * lj);
            c += intercept;
            magnitude += Math.abs(intercept);
          } else {
            const alpha = this.slopes[p]![o]!;
            if (alpha !== 0) add(o, v * alpha);
          }
          work++;
        } else {
          const lines = this.pools[p]!;
          if (v < 0) add(lines.lower[o]!, v);
          else {
            for (let k = op.starts[o]!; k < op.starts[o + 1]!; k++) {
              const s = lines.upperSlope[k]!;
              if (s !== 0) add(op.inputs[k]!, v * s);
            }
            const b = v * lines.upperConstant[o]!;
            c += b;
            magnitude += Math.abs(b);
          }
          work += op.starts[o + 1]! - op.starts[o]!;
        }
      }
      count = next;
    }
    // Node 0: the input. Maximise over its box.
    const lo = bounds.lo[0]!;
    const hi = bounds.hi[0]!;
    const A = this.values[0]!;
    const list = this.lists[0]!;
    const marks = this.marks[0]!;
    let sum = c;
    let size = Math.abs(c);
    for (let t = 0; t < count; t++) {
      const i = list[t]!;
      const a = A[i]!;
      A[i] = 0;
      marks[i] = 0;
      const x = a > 0 ? hi[i]! : lo[i]!;
      sum += a * x;
      size += Math.abs(a * x);
    }
    this.work = work;
    return (
      sum +
      float64Allowance(graph.inputSize) * size +
      float64Allowance(this.terms) * (magnitude + Math.abs(c))
    );
  }
}
