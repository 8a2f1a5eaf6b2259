/** Adam hyper-parameters; the defaults are tf.train.adam's (and Keras's). */
export interface AdamConfig {
  learningRate: number;
  beta1: number;
  beta2: number;
  /** tfjs uses the backend's epsilon, 1e-7 for float32. */
  epsilon: number;
}

export const defaultAdam: AdamConfig = { learningRate: 1e-3, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 };

/**
 * Adam over plain Float32Arrays with exactly tf.train.adam's update
 * (`p -= lr * m̂ / (sqrt(v̂) + ε)`, bias-corrected moments). On the wasm backend every elementwise op
 * over the 100k-weight kernel costs about 1 ms, so tfjs's ~15 ops per variable dominated a training
 * step; this loop does the same arithmetic in well under a millisecond.
 */
export class JsAdam {
  private readonly m: Float32Array[];
  private readonly v: Float32Array[];
  private step = 0;

  constructor(
    private readonly params: Float32Array[],
    private readonly config: AdamConfig = defaultAdam,
  ) {
    this.m = params.map((p) => new Float32Array(p.length));
    this.v = params.map((p) => new Float32Array(p.length));
  }

  /** Applies one update; `grads[i]` matches `params[i]` in length. */
  apply(grads: readonly Float32Array[]): void {
    this.step++;
    const { learningRate, beta1, beta2, epsilon } = this.config;
    const c1 = 1 / (1 - beta1 ** this.step);
    const c2 = 1 / (1 - beta2 ** this.step);
    const g1 = 1 - beta1;
    const g2 = 1 - beta2;
    for (let k = 0; k < this.params.length; k++) {
      const p = this.params[k]!;
      const g = grads[k]!;
      const m = this.m[k]!;
      const v = this.v[k]!;
      for (let i = 0; i < p.length; i++) {
        const gi = g[i]!;
        const mi = beta1 * m[i]! + g1 * gi;
        const vi = beta2 * v[i]! + g2 * gi * gi;
        m[i] = mi;
        v[i] = vi;
        p[i]! -= (learningRate * mi * c1) / (Math.sqrt(vi * c2) + epsilon);
      }
    }
  }
}
