import { InvalidArgumentError, NonFiniteError } from '../errors.ts';

/** How the model input looks, for messages that say what length a per-input array must have. */
export interface InputDescription {
  size: number;
  shape: number[];
}

export function acceptedLength({ size, shape }: InputDescription): string {
  return `${size} numbers (one per model input; input shape [${shape.join(', ')}], flattened row-major)`;
}

/** One finite number per input, as Float64Array; names `argument` when the length or a value is wrong. */
export function inputVector(values: unknown, input: InputDescription, argument: string): Float64Array {
  if (
    values == null ||
    typeof values !== 'object' ||
    typeof (values as ArrayLike<number>).length !== 'number'
  ) {
    throw new InvalidArgumentError(argument, values, acceptedLength(input));
  }
  const array = values as ArrayLike<number>;
  if (array.length !== input.size) throw new InvalidArgumentError(argument, array, acceptedLength(input));
  const out = new Float64Array(input.size);
  let bad = 0;
  for (let i = 0; i < out.length; i++) {
    const v = Number(array[i]);
    if (!Number.isFinite(v)) bad++;
    out[i] = v;
  }
  if (bad > 0) throw new NonFiniteError(argument, bad);
  return out;
}

/** A finite scalar or one finite number per input, expanded to Float64Array. */
export function scalarOrVector(value: unknown, input: InputDescription, argument: string): Float64Array {
  if (typeof value === 'number') {
    if (!Number.isFinite(value))
      throw new InvalidArgumentError(argument, value, `a finite number or ${acceptedLength(input)}`);
    return new Float64Array(input.size).fill(value);
  }
  return inputVector(value, input, argument);
}

export function finiteNonNegative(value: unknown, argument: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new InvalidArgumentError(argument, value, 'a finite number ≥ 0');
  }
  return value;
}
