/**
 * The shape argmax optimises over for a model with these inputs (each without the batch axis): a single
 * input keeps its shape; several are optimised at once as one flat vector, each input after the previous
 * one, so their shape is that vector's length.
 */
export function jointInputShape(inputShapes: readonly (readonly number[])[]): number[] {
  if (inputShapes.length === 1) return [...inputShapes[0]!];
  return [inputShapes.reduce((total, shape) => total + shape.reduce((a, b) => a * b, 1), 0)];
}
