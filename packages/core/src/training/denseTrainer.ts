import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { type Adam, type AdamConfig, createAdam, defaultAdam } from './adam.ts';
import type { DenseLayerSpec } from './denseStack.ts';
import { matMul, matMulTransA, matMulTransB, sumRows, transpose } from './gemm.ts';
import { readInto } from './readInto.ts';

/** Products of at least this many multiply-adds run as tfjs ops (except on cpu); smaller ones in plain JS. */
const tfMinMacs = 1 << 17;

/** Loss summed over the batch and the number of correct predictions. */
export interface StepResult {
  lossSum: number;
  correct: number;
}

/**
 * The lean training step for a softmax MLP (see `denseStackOf`): sparse categorical cross-entropy
 * averaged over the batch, hand-written backward pass, Adam. Measured on wasm (XNNPACK), one tfjs op
 * costs 30–1000 µs whatever its size, so only the large products (the 784×128 layer) run as tfjs
 * ops; everything small or elementwise (the 128×10 layer, bias, relu, softmax, loss) runs on
 * Float32Arrays, and Adam in its own wasm SIMD loop (`adam.ts`) over the weights. Large layers keep their kernel transposed (`[units, inputs]`) and compute
 * `outᵀ = Wᵀ·xᵀ` and `dWᵀ = δᵀ·x`: XNNPACK repacks its right-hand operand on every call, and this
 * way that operand is the 32-row batch instead of the 100k-weight kernel (half the time of a fused
 * `x·W`). Weights live here during training; `writeBack()` copies them into the model.
 */
export class DenseTrainer {
  readonly params: Float32Array[];
  private readonly grads: Float32Array[];
  private readonly adam: Adam;
  /** Layers computed with tfjs ops; their kernels are stored transposed in `params`. */
  private readonly useTf: boolean[];
  private readonly activations: Float32Array[];
  private readonly deltas: Float32Array[];
  /** Transposed operands and transposed products (two buffers: a product's operand may be transposed). */
  private readonly scratch: [Float32Array, Float32Array];

  constructor(
    private readonly model: tfl.LayersModel,
    private readonly layers: readonly DenseLayerSpec[],
    batchSize: number,
    adam: AdamConfig = defaultAdam,
  ) {
    // tfjs-backend-cpu's matMul is plain JS too, and about half as fast as these loops (measured:
    // 50 vs 26 s per seed-model epoch), so on cpu every product stays here.
    const tfIsFaster = tf.getBackend() !== 'cpu';
    this.useTf = layers.map((l) => tfIsFaster && batchSize * l.inputs * l.units >= tfMinMacs);
    const initial = model.getWeights().map((w, i) => {
      const values = new Float32Array(w.dataSync());
      const l = i >> 1;
      if (i % 2 === 1 || !this.useTf[l]) return values;
      const t = new Float32Array(values.length);
      transpose(t, values, layers[l]!.inputs, layers[l]!.units);
      return t;
    });
    this.adam = createAdam(initial, adam);
    this.params = this.adam.params;
    this.grads = this.adam.grads;
    this.activations = layers.map((l) => new Float32Array(batchSize * l.units));
    this.deltas = layers.map((l) => new Float32Array(batchSize * l.units));
    const widest = batchSize * Math.max(...layers.map((l) => Math.max(l.inputs, l.units)));
    this.scratch = [new Float32Array(widest), new Float32Array(widest)];
  }

  /**
   * One Adam step on a batch: `x` is `[n, inputs]` row-major, `xT` the same batch transposed
   * (`[inputs, n]`), `labels` the class indices.
   */
  step(x: Float32Array, xT: Float32Array, labels: ArrayLike<number>, n: number): StepResult {
    const last = this.layers.length - 1;

    // Forward.
    let input = x;
    for (const [l, layer] of this.layers.entries()) {
      const out = this.activations[l]!.subarray(0, n * layer.units);
      const bias = this.params[2 * l + 1]!;
      if (this.useTf[l]) {
        const inputT = l === 0 ? xT.subarray(0, layer.inputs * n) : this.transposed(input, n, layer.inputs);
        const outT = this.scratch[1].subarray(0, layer.units * n);
        this.tfMatMul(outT, this.params[2 * l]!, [layer.units, layer.inputs], inputT, [layer.inputs, n]);
        transpose(out, outT, layer.units, n);
      } else {
        matMul(out, input, this.params[2 * l]!, n, layer.inputs, layer.units);
      }
      const relu = layer.activation === 'relu';
      for (let i = 0; i < n; i++)
        for (let j = 0; j < layer.units; j++) {
          const v = out[i * layer.units + j]! + bias[j]!;
          out[i * layer.units + j] = relu && v < 0 ? 0 : v;
        }
      input = out;
    }

    // Softmax cross-entropy on the logits; the delta is (p - onehot) / n.
    const classes = this.layers[last]!.units;
    const logits = this.activations[last]!;
    const delta = this.deltas[last]!;
    let lossSum = 0;
    let correct = 0;
    for (let i = 0; i < n; i++) {
      const row = i * classes;
      let max = Number.NEGATIVE_INFINITY;
      let argmax = 0;
      for (let j = 0; j < classes; j++)
        if (logits[row + j]! > max) {
          max = logits[row + j]!;
          argmax = j;
        }
      let sum = 0;
      for (let j = 0; j < classes; j++) sum += Math.exp(logits[row + j]! - max);
      const logSum = Math.log(sum) + max;
      const label = labels[i]!;
      lossSum += logSum - logits[row + label]!;
      if (argmax === label) correct++;
      for (let j = 0; j < classes; j++)
        delta[row + j] = (Math.exp(logits[row + j]! - logSum) - (j === label ? 1 : 0)) / n;
    }

    // Backward.
    for (let l = last; l >= 0; l--) {
      const layer = this.layers[l]!;
      const d = this.deltas[l]!.subarray(0, n * layer.units);
      const a =
        l === 0 ? x.subarray(0, n * layer.inputs) : this.activations[l - 1]!.subarray(0, n * layer.inputs);
      if (this.useTf[l]) {
        const dT = this.transposed(d, n, layer.units);
        this.tfMatMul(this.grads[2 * l]!, dT, [layer.units, n], a, [n, layer.inputs]);
      } else {
        matMulTransA(this.grads[2 * l]!, a, d, n, layer.inputs, layer.units);
      }
      sumRows(this.grads[2 * l + 1]!, d, n, layer.units);
      if (l > 0) {
        const prev = this.deltas[l - 1]!.subarray(0, n * layer.inputs);
        if (this.useTf[l])
          this.tfMatMul(prev, d, [n, layer.units], this.params[2 * l]!, [layer.units, layer.inputs]);
        else matMulTransB(prev, d, this.params[2 * l]!, n, layer.units, layer.inputs);
        if (this.layers[l - 1]!.activation === 'relu')
          for (let i = 0; i < prev.length; i++) if (a[i]! <= 0) prev[i] = 0;
      }
    }

    this.adam.apply();
    return { lossSum, correct };
  }

  /** The last step's gradients in the model's weight order and layout (for checks). */
  lastGradients(): Float32Array[] {
    return this.grads.map((g, i) => {
      const l = i >> 1;
      if (i % 2 === 1 || !this.useTf[l]) return g.slice();
      const t = new Float32Array(g.length);
      transpose(t, g, this.layers[l]!.units, this.layers[l]!.inputs);
      return t;
    });
  }

  /** Copies the trained weights into the model's variables. */
  writeBack(): void {
    const weights = this.model.getWeights();
    const values = this.params.map((p, i) => {
      const l = i >> 1;
      if (i % 2 === 1 || !this.useTf[l]) return tf.tensor(p, weights[i]!.shape);
      const t = new Float32Array(p.length);
      transpose(t, p, this.layers[l]!.units, this.layers[l]!.inputs);
      return tf.tensor(t, weights[i]!.shape);
    });
    this.model.setWeights(values);
    tf.dispose(values);
  }

  /** Nothing to free: every tensor lives only inside one product. */
  dispose(): void {}

  /** out = a·b as one tfjs matMul (uploads both operands, reads the result back). */
  private tfMatMul(
    out: Float32Array,
    a: Float32Array,
    aShape: [number, number],
    b: Float32Array,
    bShape: [number, number],
  ): void {
    const at = tf.tensor2d(a, aShape);
    const bt = tf.tensor2d(b, bShape);
    const product = tf.matMul(at, bt);
    readInto(out, product);
    tf.dispose([at, bt, product]);
  }

  private transposed(a: Float32Array, rows: number, cols: number): Float32Array {
    const t = this.scratch[0].subarray(0, rows * cols);
    transpose(t, a, rows, cols);
    return t;
  }
}
