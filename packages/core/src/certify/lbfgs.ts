/**
 * Limited-memory BFGS with a backtracking (Armijo) line search, for the smooth surrogates the dual
 * bounds are optimised through. `evaluate` writes the gradient into `grad` and returns the value; it
 * may also record anything it likes (the dual bound keeps its best exact value that way).
 */
export interface LbfgsOptions {
  iterations: number;
  memory?: number;
  deadline?: number;
  /** Stops early when the value falls below this. */
  stopBelow?: number;
}

export function minimizeLbfgs(
  evaluate: (x: Float64Array, grad: Float64Array) => number,
  x: Float64Array,
  options: LbfgsOptions,
): { value: number; evaluations: number } {
  const n = x.length;
  const memory = options.memory ?? 10;
  const s: Float64Array[] = [];
  const y: Float64Array[] = [];
  const rho: number[] = [];
  let grad = new Float64Array(n);
  let value = evaluate(x, grad);
  let evaluations = 1;
  const direction = new Float64Array(n);
  const alphas = new Float64Array(memory);
  const trial = new Float64Array(n);
  let trialGrad = new Float64Array(n);
  for (let it = 0; it < options.iterations; it++) {
    if (options.deadline !== undefined && performance.now() > options.deadline) break;
    if (options.stopBelow !== undefined && value < options.stopBelow) break;
    // Two-loop recursion: direction = −H·grad.
    direction.set(grad);
    for (let k = s.length - 1; k >= 0; k--) {
      const a = rho[k]! * dot(s[k]!, direction);
      alphas[k] = a;
      axpy(-a, y[k]!, direction);
    }
    if (s.length > 0) {
      const last = s.length - 1;
      const scale = dot(s[last]!, y[last]!) / dot(y[last]!, y[last]!);
      for (let i = 0; i < n; i++) direction[i]! *= scale;
    } else {
      const norm = Math.sqrt(dot(grad, grad));
      if (norm === 0) break;
      for (let i = 0; i < n; i++) direction[i]! /= norm;
    }
    for (let k = 0; k < s.length; k++) {
      const b = rho[k]! * dot(y[k]!, direction);
      axpy(alphas[k]! - b, s[k]!, direction);
    }
    for (let i = 0; i < n; i++) direction[i] = -direction[i]!;
    let slope = dot(grad, direction);
    if (!(slope < 0)) {
      // Not a descent direction (curvature information went stale): restart from steepest descent.
      s.length = 0;
      y.length = 0;
      rho.length = 0;
      const norm = Math.sqrt(dot(grad, grad));
      if (norm === 0) break;
      for (let i = 0; i < n; i++) direction[i] = -grad[i]! / norm;
      slope = -norm;
    }
    let step = 1;
    let next = Number.POSITIVE_INFINITY;
    for (let tries = 0; tries < 30; tries++) {
      for (let i = 0; i < n; i++) trial[i] = x[i]! + step * direction[i]!;
      next = evaluate(trial, trialGrad);
      evaluations++;
      if (next <= value + 1e-4 * step * slope) break;
      step *= 0.3;
    }
    if (!(next < value)) break;
    const sk = new Float64Array(n);
    const yk = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      sk[i] = trial[i]! - x[i]!;
      yk[i] = trialGrad[i]! - grad[i]!;
    }
    const sy = dot(sk, yk);
    if (sy > 1e-12 * Math.sqrt(dot(sk, sk) * dot(yk, yk))) {
      if (s.length === memory) {
        s.shift();
        y.shift();
        rho.shift();
      }
      s.push(sk);
      y.push(yk);
      rho.push(1 / sy);
    }
    x.set(trial);
    [grad, trialGrad] = [trialGrad, grad];
    value = next;
  }
  return { value, evaluations };
}

function dot(a: Float64Array, b: Float64Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i]! * b[i]!;
  return sum;
}

function axpy(a: number, x: Float64Array, y: Float64Array): void {
  for (let i = 0; i < y.length; i++) y[i]! += a * x[i]!;
}
