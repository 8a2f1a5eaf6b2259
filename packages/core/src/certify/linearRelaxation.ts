import { float64Allowance, type NodeBounds, tightenFrom } from '../network/intervalBounds.ts';
import { type LayerGraph, type LayerOp, opSize } from '../network/layerGraph.ts';
import { maxPoolLines } from './maxPoolLines.ts';
import { SparseRowBounds } from './sparseRowBounds.ts';

/**
 * CROWN/DeepPoly-style linear bounds by back-substitution. A linear function `Λ·node + c` of some node
 * is pushed back through the ops to the input: affine ops substitute exactly; a ReLU whose sign the
 * node bounds `[l, u]` leave open is replaced by its upper line `u(z − l)/(u − l)` where the
 * coefficient is positive, and by a lower line `α·z` (α ∈ [0, 1]) where it is negative. Every step is
 * an inequality in the direction of an upper bound, so the result bounds the function from above at
 * every input of the region.
 */

/** Per op (by index): lower-line slope per unit of a ReLU/LeakyReLU op, or undefined. */
export type Slopes = (Float64Array | undefined)[];

/**
 * ReLU phases fixed by branching: `sign[p][j]` is +1 (z ≥ 0) or −1 (z ≤ 0) for unit j of op p, 0 when
 * free. Each fixed phase adds `β·sign·z ≥ 0` to the bounded function (Lagrangian, β ≥ 0).
 */
export interface SplitTerms {
  sign: (Int8Array | undefined)[];
  beta: (Float64Array | undefined)[];
}

/** The default lower slopes (CROWN's adaptive choice): 1 where u > −l, else the negative slope. */
export function defaultSlopes(graph: LayerGraph, bounds: NodeBounds): Slopes {
  return graph.ops.map((op, p) => {
    if (op.kind !== 'relu' && op.kind !== 'leakyRelu') return undefined;
    const low = op.kind === 'relu' ? 0 : op.alpha;
    const l = bounds.lo[p]!;
    const u = bounds.hi[p]!;
    return Float64Array.from(l, (lv, j) => (u[j]! > -lv ? 1 : low));
  });
}

/**
 * Units of op `op` (open, positive coefficient) that the back-substitution leaves out: the caller adds
 * its own linear upper bound of them in terms of the input (the per-input-slope relaxation).
 */
export interface Bypass {
  op: number;
  mask: Uint8Array;
}

export interface BackwardResult {
  /** `m × inputSize` coefficients on the input. */
  A: Float64Array;
  /** `m` constants. */
  c: Float64Array;
  /** Single-row runs only: the row's coefficient on every op's output (index p: output of op p). */
  post?: (Float64Array | undefined)[];
  /** Round-off allowance of the constants (absolute, per row). */
  roundoff: Float64Array;
}

/**
 * Substitutes `m` rows `Λ·node(from) + c` back to the input. `Λ` is `m × size(node)` row-major; it is
 * consumed. `record` keeps the row's coefficients after every op (single-row runs, for gradients and
 * branching scores).
 */
export function backward(
  graph: LayerGraph,
  bounds: NodeBounds,
  from: number,
  rows: Float64Array,
  constants: Float64Array,
  slopes: Slopes,
  options: { splits?: SplitTerms; record?: boolean; bypass?: Bypass } = {},
): BackwardResult {
  const m = constants.length;
  let lambda = rows;
  const c = Float64Array.from(constants);
  const magnitude = new Float64Array(m);
  const post: (Float64Array | undefined)[] = [];
  let terms = 0;
  for (let p = from - 1; p >= 0; p--) {
    const op = graph.ops[p]!;
    const outSize = opSize(op);
    if (options.record) post[p] = lambda.slice();
    const l = bounds.lo[p]!;
    const u = bounds.hi[p]!;
    if (op.kind === 'affine') {
      const next = new Float64Array(m * op.inSize);
      const W = op.matrix;
      for (let r = 0; r < m; r++) {
        const rowOut = r * outSize;
        const rowIn = r * op.inSize;
        for (let o = 0; o < outSize; o++) {
          const v = lambda[rowOut + o]!;
          if (v === 0) continue;
          c[r]! += v * op.bias[o]!;
          magnitude[r]! += Math.abs(v * op.bias[o]!);
          if (W.kind === 'dense') {
            const w0 = o * op.inSize;
            for (let i = 0; i < op.inSize; i++) next[rowIn + i]! += v * W.values[w0 + i]!;
          } else {
            for (let k = W.starts[o]!; k < W.starts[o + 1]!; k++)
              next[rowIn + W.cols[k]!]! += v * W.values[k]!;
          }
        }
      }
      terms += W.kind === 'dense' ? outSize : Math.ceil(W.values.length / Math.max(1, op.inSize)) + outSize;
      lambda = next;
    } else if (op.kind === 'relu' || op.kind === 'leakyRelu') {
      const a = op.kind === 'relu' ? 0 : op.alpha;
      const alpha = slopes[p]!;
      const next = new Float64Array(m * outSize);
      for (let r = 0; r < m; r++) {
        const base = r * outSize;
        for (let j = 0; j < outSize; j++) {
          const v = lambda[base + j]!;
          if (v === 0) continue;
          const lj = l[j]!;
          const uj = u[j]!;
          if (uj <= 0) next[base + j] = v * a;
          else if (lj >= 0) next[base + j] = v;
          else if (v > 0) {
            // The caller bounds this unit directly in the input (see Bypass).
            if (options.bypass?.op === p && options.bypass.mask[j]) continue;
            const s = (uj - a * lj) / (uj - lj);
            next[base + j] = v * s;
            const intercept = v * (a * lj - s * lj);
            c[r]! += intercept;
            magnitude[r]! += Math.abs(intercept);
          } else next[base + j] = v * alpha[j]!;
        }
      }
      const split = options.splits;
      if (split?.sign[p]) {
        const sign = split.sign[p]!;
        const beta = split.beta[p]!;
        for (let r = 0; r < m; r++) {
          for (let j = 0; j < outSize; j++) if (sign[j] !== 0) next[r * outSize + j]! += beta[j]! * sign[j]!;
        }
      }
      lambda = next;
    } else {
      const lines = maxPoolLines(op, l, u);
      const next = new Float64Array(m * op.inSize);
      for (let r = 0; r < m; r++) {
        const rowIn = r * op.inSize;
        for (let o = 0; o < outSize; o++) {
          const v = lambda[r * outSize + o]!;
          if (v === 0) continue;
          if (v < 0) next[rowIn + lines.lower[o]!]! += v;
          else {
            for (let k = op.starts[o]!; k < op.starts[o + 1]!; k++) {
              const s = lines.upperSlope[k]!;
              if (s !== 0) next[rowIn + op.inputs[k]!]! += v * s;
            }
            c[r]! += v * lines.upperConstant[o]!;
            magnitude[r]! += Math.abs(v * lines.upperConstant[o]!);
          }
        }
      }
      terms += 4;
      lambda = next;
    }
  }
  const roundoff = magnitude.map((v, r) => float64Allowance(terms) * (v + Math.abs(c[r]!)));
  return { A: lambda, c, roundoff, ...(options.record ? { post } : {}) };
}

/**
 * The maximum of `A·x + c` over the box `[lo, hi]` for every row, padded by its round-off, and (first
 * row) the vertex that attains it.
 */
export function boxMaximum(
  A: Float64Array,
  c: Float64Array,
  lo: Float64Array,
  hi: Float64Array,
  roundoff?: Float64Array,
): { values: Float64Array; argmax: Float64Array } {
  const n = lo.length;
  const m = c.length;
  const values = new Float64Array(m);
  const argmax = new Float64Array(n);
  for (let r = 0; r < m; r++) {
    let sum = c[r]!;
    let size = Math.abs(c[r]!);
    const row = r * n;
    for (let i = 0; i < n; i++) {
      const a = A[row + i]!;
      const x = a > 0 ? hi[i]! : a < 0 ? lo[i]! : (lo[i]! + hi[i]!) / 2;
      sum += a * x;
      size += Math.abs(a * x);
      if (r === 0) argmax[i] = x;
    }
    values[r] = sum + float64Allowance(n) * size + (roundoff ? roundoff[r]! : 0);
  }
  return { values, argmax };
}

/** Doubles per back-substitution block (~128 MB). */
const maxBlockEntries = 16_000_000;
/** Multiply-adds allowed for the CROWN bounds of one node; larger nodes keep interval bounds. */
const maxWork = 4e8;

function opWork(op: LayerOp): number {
  if (op.kind === 'affine')
    return op.matrix.kind === 'dense' ? op.matrix.values.length : op.matrix.values.length;
  return opSize(op);
}

/**
 * Tightens the bounds of every node that feeds a non-linear op by back-substitution (CROWN), layer by
 * layer, so each node's relaxation uses the tightened bounds of the nodes before it; interval bounds
 * of later nodes are re-propagated after each step.
 */
export function crownIntermediateBounds(
  graph: LayerGraph,
  bounds: NodeBounds,
  /** performance.now() time after which the remaining nodes keep their interval bounds. */
  deadline = Number.POSITIVE_INFINITY,
  /** The first node to tighten (the nodes before keep their bounds). */
  from = 2,
): void {
  for (let p = Math.max(2, from); p < graph.ops.length; p++) {
    if (graph.ops[p]!.kind === 'affine' || graph.ops[p - 1]!.kind !== 'affine') continue;
    if (performance.now() > deadline) return;
    const before = graph.ops.slice(0, p);
    if (before.every((op) => op.kind !== 'maxPool' && (op.kind !== 'affine' || op.matrix.kind === 'dense'))) {
      const work = 2 * bounds.lo[p]!.length * before.reduce((sum, op) => sum + opWork(op), 0);
      if (work > maxWork) continue;
      tightenNode(graph, bounds, p, defaultSlopes(graph, bounds));
    } else if (!tightenNodeByRows(graph, bounds, p, defaultSlopes(graph, bounds))) continue;
    tightenFrom(graph, bounds, p);
  }
}

/**
 * Multiply-adds that `crownIntermediateBounds(…, from)` spends on dense back-substitution, or
 * undefined when some node before would need the sparse rows (convolutions, max pooling).
 */
export function crownWork(graph: LayerGraph, from: number): number | undefined {
  let work = 0;
  for (let p = Math.max(2, from); p < graph.ops.length; p++) {
    if (graph.ops[p]!.kind === 'affine' || graph.ops[p - 1]!.kind !== 'affine') continue;
    const before = graph.ops.slice(0, p);
    if (before.some((op) => op.kind === 'maxPool' || (op.kind === 'affine' && op.matrix.kind !== 'dense')))
      return undefined;
    work += 2 * opSize(graph.ops[p - 1]!) * before.reduce((sum, op) => sum + opWork(op), 0);
  }
  return work;
}

/** Multiply-adds allowed for the unit-by-unit CROWN bounds of one node (about 2 s). */
const maxSparseWork = 2e9;

/**
 * `tightenNode` one unit at a time with sparse rows (convolutions: each unit reads a small patch).
 * Returns false, changing nothing, when the first unit's cost says the node would take too long.
 */
export function tightenNodeByRows(graph: LayerGraph, bounds: NodeBounds, p: number, slopes: Slopes): boolean {
  const rows = new SparseRowBounds(graph, bounds, p, slopes);
  const lo = bounds.lo[p]!;
  const hi = bounds.hi[p]!;
  for (let j = 0; j < lo.length; j++) {
    const upper = rows.upper(j, 1);
    if (j === 0 && 2 * rows.work * lo.length > maxSparseWork) return false;
    const lower = -rows.upper(j, -1);
    hi[j] = Math.min(hi[j]!, upper);
    lo[j] = Math.max(lo[j]!, lower);
  }
  return true;
}

/** Upper and lower CROWN bounds of node `p`, intersected with the current ones. */
export function tightenNode(graph: LayerGraph, bounds: NodeBounds, p: number, slopes: Slopes): void {
  const size = bounds.lo[p]!.length;
  const width = Math.max(graph.inputSize, ...graph.ops.slice(0, p).map((op) => opSize(op)));
  const pairs = Math.max(1, Math.floor(maxBlockEntries / (2 * width)));
  const lo = bounds.lo[0]!;
  const hi = bounds.hi[0]!;
  for (let start = 0; start < size; start += pairs) {
    const count = Math.min(pairs, size - start);
    const rows = new Float64Array(2 * count * size);
    for (let k = 0; k < count; k++) {
      rows[k * size + start + k] = 1;
      rows[(count + k) * size + start + k] = -1;
    }
    const { A, c, roundoff } = backward(graph, bounds, p, rows, new Float64Array(2 * count), slopes);
    const { values } = boxMaximum(A, c, lo, hi, roundoff);
    for (let k = 0; k < count; k++) {
      const j = start + k;
      bounds.hi[p]![j] = Math.min(bounds.hi[p]![j]!, values[k]!);
      bounds.lo[p]![j] = Math.max(bounds.lo[p]![j]!, -values[count + k]!);
    }
  }
}

export interface RelaxedForward {
  /** Pre-activation value of every ReLU/LeakyReLU op's input (by op index). */
  pre: (Float64Array | undefined)[];
  /** The relaxed network's output. */
  output: Float64Array;
}

/**
 * The network with every open ReLU replaced by the line the back-substitution chose for it (upper line
 * where `post[p][j] > 0`, lower line otherwise), evaluated at `x`. Its value at the maximising vertex
 * equals the bound, and its pre-activations give the bound's subgradients in α and β.
 */
export function forwardRelaxed(
  graph: LayerGraph,
  bounds: NodeBounds,
  x: Float64Array,
  slopes: Slopes,
  post: (Float64Array | undefined)[],
  bypass?: { op: number; mask: Uint8Array; value: (unit: number) => number },
): RelaxedForward {
  let h = x;
  const pre: (Float64Array | undefined)[] = [];
  graph.ops.forEach((op, p) => {
    const l = bounds.lo[p]!;
    const u = bounds.hi[p]!;
    const coefficient = post[p];
    if (op.kind === 'affine') {
      const y = Float64Array.from(op.bias);
      const W = op.matrix;
      for (let o = 0; o < op.outSize; o++) {
        let sum = 0;
        if (W.kind === 'dense') {
          const row = o * op.inSize;
          for (let i = 0; i < op.inSize; i++) sum += W.values[row + i]! * h[i]!;
        } else {
          for (let k = W.starts[o]!; k < W.starts[o + 1]!; k++) sum += W.values[k]! * h[W.cols[k]!]!;
        }
        y[o]! += sum;
      }
      h = y;
    } else if (op.kind === 'relu' || op.kind === 'leakyRelu') {
      const a = op.kind === 'relu' ? 0 : op.alpha;
      const alpha = slopes[p]!;
      pre[p] = h;
      const y = new Float64Array(h.length);
      for (let j = 0; j < h.length; j++) {
        const z = h[j]!;
        const lj = l[j]!;
        const uj = u[j]!;
        if (uj <= 0) y[j] = a * z;
        else if (lj >= 0) y[j] = z;
        else if ((coefficient?.[j] ?? 0) > 0) {
          if (bypass?.op === p && bypass.mask[j]) y[j] = bypass.value(j);
          else {
            const s = (uj - a * lj) / (uj - lj);
            y[j] = s * z + (a * lj - s * lj);
          }
        } else y[j] = alpha[j]! * z;
      }
      h = y;
    } else {
      const lines = maxPoolLines(op, l, u);
      const y = new Float64Array(op.outSize);
      for (let o = 0; o < op.outSize; o++) {
        if ((coefficient?.[o] ?? 0) < 0) y[o] = h[lines.lower[o]!]!;
        else {
          let sum = lines.upperConstant[o]!;
          for (let k = op.starts[o]!; k < op.starts[o + 1]!; k++)
            sum += lines.upperSlope[k]! * h[op.inputs[k]!]!;
          y[o] = sum;
        }
      }
      h = y;
    }
  });
  return { pre, output: h };
}
