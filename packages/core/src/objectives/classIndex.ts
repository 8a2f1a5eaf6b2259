import { InvalidArgumentError, UnsupportedError } from '../errors.ts';
import type { TermContext } from './objectiveTerm.ts';

/** Checks a class index against the model's outputs. */
export function checkClassIndex(index: unknown, { network, argument }: TermContext): number {
  const classes = network.outputSize;
  if (typeof index !== 'number' || !Number.isInteger(index) || index < 0 || index >= classes) {
    throw new InvalidArgumentError(
      `${argument}.index`,
      index,
      `an integer class index in [0, ${classes - 1}] (the model has ${classes} outputs)`,
    );
  }
  return index;
}

/** Objectives that need the logits fail clearly on heads that have none (e.g. a tanh output). */
export function requireLogits({ network, argument }: TermContext, kind: string): void {
  if (network.head === 'other') {
    throw new UnsupportedError(
      `${argument}: '${kind}' needs the pre-activation outputs, but the model's last layer applies ${network.headActivation}; use a 'unit' objective on a named layer instead`,
    );
  }
}
