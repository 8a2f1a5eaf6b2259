import type * as tf from '@tensorflow/tfjs-core';
import type { TappedNetwork, Taps } from '../network/modelTaps.ts';

/**
 * One objective, checked against a network: which layer outputs it reads and how it turns a forward
 * pass into one value per batch row. Terms compose (weighted sums) and share one forward pass.
 */
export interface ObjectiveTerm {
  /** Named layers whose outputs `value` reads. */
  layers: string[];
  /** `[B]`: the objective of every batch row; differentiable. */
  value(taps: Taps): tf.Tensor1D;
}

/** `argument` is the spec's path in error messages, e.g. `objective.terms[1].objective.index`. */
export interface TermContext {
  network: TappedNetwork;
  argument: string;
}
